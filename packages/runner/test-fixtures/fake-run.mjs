// A deterministic fake run for the runner's tests: value = sum_{i < n} sin(seed * i) in float64,
// after a random pause (so completion order varies). `fail` throws; `die` ends the thread.
export async function fakeRun(spec) {
  await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 30)));
  if (spec.fail) throw Object.assign(new Error(`run ${spec.seed} failed on purpose`), { code: 'FAKE_FAIL' });
  if (spec.die) process.exit(3);
  let s = 0;
  for (let i = 0; i < spec.n; i++) s += Math.sin(spec.seed * i);
  return { value: s, seed: spec.seed };
}
