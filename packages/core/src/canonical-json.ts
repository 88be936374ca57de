/**
 * JSON with object keys sorted (by UTF-16 code units) at every level, so two equal values give
 * equal strings whatever their key order: the form configs are hashed and compared in.
 *
 * The rule for what JSON cannot hold is JSON.stringify's: an object field whose value is
 * `undefined` (or a function or symbol) is dropped, so `{ a: 1, b: undefined }` and `{ a: 1 }` are
 * the same config; in an array such a value, and any non-finite number, becomes `null`; `toJSON`
 * is honoured (a Date gives its ISO string). Two departures, both for determinism: a typed array
 * is written as the array of its numbers (JSON.stringify would write an object keyed "0", "1", ...),
 * and a top-level `undefined` gives "null" (JSON.stringify would return no string at all).
 */
export function canonicalJson(value: unknown): string {
  return write(value) ?? 'null';
}

/** The canonical text of `v`, or undefined where JSON.stringify drops the value. */
function write(v: unknown): string | undefined {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON(): unknown }).toJSON();
  }
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return undefined;
  if (v === null || typeof v !== 'object') {
    if (typeof v === 'bigint') throw new TypeError('canonicalJson: a BigInt has no JSON form; convert it to a number or string first.');
    return JSON.stringify(v); // numbers (non-finite: "null"), strings, booleans
  }
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) v = Array.from(v as unknown as ArrayLike<number>);
  if (Array.isArray(v)) return `[${v.map((x) => write(x) ?? 'null').join(',')}]`;
  const fields: string[] = [];
  for (const key of Object.keys(v as object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const text = write((v as Record<string, unknown>)[key]);
    if (text !== undefined) fields.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${fields.join(',')}}`;
}
