// Vite asset imports (see vite.config.ts): `?url` yields the emitted file's URL, `?worker` a Worker constructor.
declare module '*?url' {
  const url: string;
  export default url;
}
declare module '*?worker' {
  const WorkerCtor: { new (options?: { name?: string }): Worker };
  export default WorkerCtor;
}
declare module '*.css';
