/** What we use of electron-updater's autoUpdater. */
export interface UpdaterLike {
  checkForUpdatesAndNotify(): Promise<unknown>;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

export interface TimersLike {
  setInterval(fn: () => void, ms: number): unknown;
  clearInterval(handle: unknown): void;
}

export const UPDATE_INTERVAL_MS = 6 * 60 * 60 * 1000;

export type UpdatePolicy = { enabled: true } | { enabled: false; why: string };

/**
 * Whether this run checks for updates. DESK_AUTO_UPDATE=0 (or false/off/no)
 * or the stored setting { "autoUpdate": false } turns it off; an unpackaged
 * run (development, `npm start`) has nothing to update.
 */
export function updatePolicy(env: Record<string, string | undefined>, settings: { autoUpdate?: unknown }, isPackaged: boolean): UpdatePolicy {
  const flag = env.DESK_AUTO_UPDATE?.trim().toLowerCase();
  if (flag && ['0', 'false', 'off', 'no'].includes(flag)) return { enabled: false, why: 'DESK_AUTO_UPDATE is off' };
  if (settings.autoUpdate === false) return { enabled: false, why: 'turned off in the settings' };
  if (!isPackaged) return { enabled: false, why: 'not a packaged app' };
  return { enabled: true };
}

/** Reads the shell's settings file; a missing or damaged file means the defaults, never a crash. */
export function parseShellSettings(text: string | null | undefined): { autoUpdate?: boolean } {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && typeof (v as { autoUpdate?: unknown }).autoUpdate === 'boolean') {
      return { autoUpdate: (v as { autoUpdate: boolean }).autoUpdate };
    }
  } catch { /* defaults */ }
  return {};
}

export interface UpdateSchedulerOptions {
  updater: UpdaterLike;
  timers: TimersLike;
  policy: UpdatePolicy;
  log: (level: 'info' | 'warn', message: string, fields?: Record<string, unknown>) => void;
  intervalMs?: number;
}

/**
 * Checks at start and every 6 h. A failed check (offline, no release feed,
 * bad signature) is logged and retried at the next tick: updating must never
 * take the console down. Checks never overlap.
 */
export class UpdateScheduler {
  private handle: unknown = null;
  private running: Promise<void> | null = null;
  private listening = false;

  constructor(private opts: UpdateSchedulerOptions) {}

  start(): void {
    if (!this.opts.policy.enabled) {
      this.opts.log('info', 'automatic updates are off', { why: this.opts.policy.why });
      return;
    }
    if (this.handle !== null) return;
    if (!this.listening) {
      // electron-updater also reports failures as 'error' events; without a listener they would be unhandled.
      this.opts.updater.on('error', (err) => this.opts.log('warn', 'update failed', { error: String(err?.message ?? err) }));
      this.listening = true;
    }
    void this.check();
    this.handle = this.opts.timers.setInterval(() => void this.check(), this.opts.intervalMs ?? UPDATE_INTERVAL_MS);
  }

  check(): Promise<void> {
    if (!this.opts.policy.enabled) return Promise.resolve();
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        await this.opts.updater.checkForUpdatesAndNotify();
      } catch (err) {
        this.opts.log('warn', 'update check failed', { error: err instanceof Error ? err.message : String(err) });
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  stop(): void {
    if (this.handle !== null) this.opts.timers.clearInterval(this.handle);
    this.handle = null;
  }
}
