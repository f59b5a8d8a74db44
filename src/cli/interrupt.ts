/** Ctrl-C that cleans up: long commands (pushes, builds) abort their work and delete what they created. */

export interface Interruptible {
  readonly signal: AbortSignal;
  dispose(): void;
}

/** The first Ctrl-C aborts the signal (cleanup runs); a second one exits at once (130, as shells do). */
export function interruptible(): Interruptible {
  const controller = new AbortController();
  const onSignal = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
