type Truthy<T> = Exclude<T, false | null | undefined | 0 | ''>;

/** Polls until probe returns something truthy (the engine, the feed and the cache act asynchronously), or fails after ms. */
export async function waitFor<T>(probe: () => T | Promise<T>, ms = 10_000, what = 'condition'): Promise<Truthy<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as Truthy<T>;
    if (Date.now() > end) throw new Error(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
