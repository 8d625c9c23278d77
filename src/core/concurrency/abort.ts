/**
 * Cancels that land between a check and a listener. A listener added to a signal that has already
 * aborted never runs, so code that awaits something (a folder, a file, a dialog) before it listens
 * would miss a cancel pressed meanwhile and wait forever, or send a request the user cancelled.
 */

/** Runs `listener` once when `signal` aborts, at once when it already has; returns what removes it. */
export function onAbort(signal: AbortSignal, listener: () => void): () => void {
  if (signal.aborted) {
    listener();
    return () => undefined;
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}
