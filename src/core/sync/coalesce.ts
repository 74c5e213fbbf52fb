/**
 * One run at a time of an async job that callers may request at any moment
 * (a wake-up, a reconnect, a timer): a request during a run does not start a
 * parallel run, it asks for exactly one more round once the current one ends.
 * Callers get the promise of the run that will include their request.
 */
export function coalesced(job: () => Promise<void>, stopped: () => boolean = () => false): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (stopped()) return Promise.resolve();
    if (running) { again = true; return running; }
    running = (async () => {
      try {
        do {
          again = false;
          await job();
        } while (again && !stopped());
      } finally {
        running = null;
      }
    })();
    return running;
  };
}
