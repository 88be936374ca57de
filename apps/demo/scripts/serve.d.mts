/** See serve.mjs: a static server for the built site on 127.0.0.1. */
export function startServer(dir: string, port?: number): Promise<{ url: string; close(): Promise<void> }>;
