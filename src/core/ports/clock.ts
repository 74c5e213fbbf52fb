/** Time as the core sees it; tests and the engine's sweeps drive it explicitly. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
