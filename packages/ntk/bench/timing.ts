/** Run f and measure it: wall seconds and process cpu seconds (all threads). */
export function time<T>(f: () => T): { value: T; s: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = f();
  const c = process.cpuUsage(c0);
  return { value, s: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 };
}
