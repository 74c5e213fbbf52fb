/** A small typed listener set, so adapters share one way of fanning out wake-ups and link changes. */
export class Listeners<A extends unknown[]> {
  private set = new Set<(...args: A) => void>();
  add(fn: (...args: A) => void): () => void {
    this.set.add(fn);
    return () => this.set.delete(fn);
  }
  emit(...args: A): void {
    for (const fn of this.set) {
      try { fn(...args); } catch { /* a listener's failure must not stop the others */ }
    }
  }
}
