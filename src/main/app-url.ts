/**
 * The renderer's origin. A privileged standard scheme (not file://) gives the
 * page a real origin, so 'self' in the CSP, the IPC sender check and
 * permission checks all mean "our bundled console" and nothing else on disk.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'desk';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True for a URL of our own console (any path), false for anything else or garbage. */
export function isAppUrl(raw: string | null | undefined): boolean {
  if (!raw) return false;
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && !u.username && !u.password && !u.port;
  } catch {
    return false;
  }
}
