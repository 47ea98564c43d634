/** Ctrl-C (SIGINT) and SIGTERM as an AbortSignal, for long commands that stop cleanly and report. */
export interface Interruption {
  readonly signal: AbortSignal;
  /** Stops listening; call it when the work is over. */
  dispose(): void;
}

export function abortOnSignals(): Interruption {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
