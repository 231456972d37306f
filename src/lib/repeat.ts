// Background work on a timer in the server process.

/**
 * Runs `work` every `everyMs` (and once at once with `runNow`). A run never starts while the last
 * one is still going, a failure goes to `onError`, and the timer does not keep the process alive.
 */
export function startRepeating(
  everyMs: number,
  work: () => Promise<unknown>,
  onError: (err: unknown) => void,
  options: { runNow?: boolean } = {},
): { stop: () => void } {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await work();
    } catch (err) {
      onError(err);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), everyMs);
  timer.unref();
  if (options.runNow) void tick();
  return { stop: () => clearInterval(timer) };
}
