/**
 * The pause of a background loop (the mail sender, the spreadsheet runner): it sleeps between looks
 * for work, and `wake()` ends the sleep at once, or, when nothing sleeps, makes the next look come
 * without one (`woken` stays set until the loop's next turn clears it).
 */
export interface WakeablePause {
  sleep(ms: number): Promise<void>;
  wake(): void;
  /** Set by `wake()` since the last `clear()`: something arrived, look again rather than sleep. */
  readonly woken: boolean;
  clear(): void;
}

export function createWakeablePause(): WakeablePause {
  let woken = false;
  let interrupt: (() => void) | undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          interrupt = undefined;
          resolve();
        };
        const timer = setTimeout(done, ms);
        interrupt = done;
      }),
    wake() {
      woken = true;
      interrupt?.();
    },
    get woken() {
      return woken;
    },
    clear() {
      woken = false;
    },
  };
}
