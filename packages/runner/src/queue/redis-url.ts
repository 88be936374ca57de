import { InvalidOptionError, PiktError } from '@pikt/core';

/** Where a queue lives: a Redis server (and database). */
export interface RedisTarget {
  url: string;
  host: string;
  port: number;
  db: number;
}

/** Parse `redis://host:port[/db]`; anything else is an InvalidOptionError naming the flag. */
export function parseRedisUrl(text: string, field = 'queue'): RedisTarget {
  const expected = 'a Redis URL redis://host:port (optionally /db), e.g. redis://127.0.0.1:6379';
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new InvalidOptionError(field, text, expected);
  }
  const db = u.pathname === '' || u.pathname === '/' ? 0 : Number(u.pathname.slice(1));
  const port = u.port === '' ? 6379 : Number(u.port);
  if (u.protocol !== 'redis:' || u.hostname === '' || !Number.isInteger(db) || db < 0 || u.search || u.hash || u.username || u.password) {
    throw new InvalidOptionError(field, text, expected);
  }
  return { url: `redis://${u.hostname}:${port}${db ? `/${db}` : ''}`, host: u.hostname.replace(/^\[|\]$/g, ''), port, db };
}

/** Redis did not answer: the one-line error a coordinator or worker exits with. */
export class QueueUnreachableError extends PiktError {
  constructor(url: string, reason: string) {
    super('PIKT_QUEUE_UNREACHABLE', `Redis at ${url} is unreachable (${reason}).`, 'Start redis-server there, or check the host and port given to --queue.');
  }
}
