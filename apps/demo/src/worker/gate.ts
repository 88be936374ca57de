/**
 * Play / pause / single-step for a training run: the run's reporter awaits `pass()` after each step,
 * so a paused run holds its trainer loop at a step boundary while the worker keeps answering messages.
 */
export interface Gate {
  readonly playing: boolean;
  pass(): Promise<void>;
  play(): void;
  pause(): void;
  /** Let exactly one more step through, then hold. */
  step(): void;
  /** Release every waiter for good (the run is being torn down). */
  open(): void;
}

export function createGate(playing: boolean): Gate {
  let play = playing;
  let credits = 0;
  let opened = false;
  let wake: (() => void) | undefined;
  const release = () => { const w = wake; wake = undefined; w?.(); };
  return {
    get playing() { return play; },
    async pass() {
      while (!opened && !play) {
        if (credits > 0) { credits -= 1; return; }
        await new Promise<void>((resolve) => { wake = resolve; });
      }
    },
    play() { play = true; release(); },
    pause() { play = false; },
    step() { play = false; credits += 1; release(); },
    open() { opened = true; release(); },
  };
}
