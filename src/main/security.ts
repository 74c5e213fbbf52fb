import { isAppUrl } from './app-url';

/**
 * Every security decision of the Electron window, as data and pure
 * predicates, so they are tested in Node (the Electron binary cannot run here).
 */

/** The policy sent with every response of the app:// protocol; the renderer has no other source. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // React sets style attributes; inline <style> stays harmless without script.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "media-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "frame-src 'none'",
  "worker-src 'none'",
].join('; ');

/** Headers added to every app:// response. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
};

/** The subset of BrowserWindowConstructorOptions we set; structurally assignable to Electron's type. */
export interface DeskWindowOptions {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  title: string;
  show: boolean;
  backgroundColor: string;
  icon?: string;
  autoHideMenuBar: boolean;
  webPreferences: {
    preload: string;
    contextIsolation: true;
    sandbox: true;
    nodeIntegration: false;
    nodeIntegrationInWorker: false;
    nodeIntegrationInSubFrames: false;
    webSecurity: true;
    allowRunningInsecureContent: false;
    webviewTag: false;
    navigateOnDragDrop: false;
    spellcheck: boolean;
    devTools: boolean;
  };
}

export function windowOptions(opts: { preload: string; icon?: string; devTools?: boolean }): DeskWindowOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    title: 'Handoff Desk',
    // Shown on 'ready-to-show' so the operator never sees a blank white frame.
    show: false,
    backgroundColor: '#f6f7f9',
    ...(opts.icon ? { icon: opts.icon } : {}),
    autoHideMenuBar: true,
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: true,
      devTools: opts.devTools ?? false,
    },
  };
}

/**
 * Links the operator clicks that may leave the app for the system browser:
 * http(s) only, with a host and no credentials. Everything else (file:,
 * javascript:, custom schemes that launch programs, smb: shares) stays closed.
 */
export function isAllowedExternalUrl(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try { url = new URL(raw); } catch { return false; }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (!url.hostname || url.username || url.password) return false;
  return true;
}

/** The window never navigates: the console is a single page. Reloading our own page is the one exception. */
export function isAllowedNavigation(raw: string): boolean {
  return isAppUrl(raw);
}

/** Notifications are the one permission the console uses; camera, geolocation, clipboard reads... are refused. */
export function isAllowedPermission(permission: string, requestingUrl: string): boolean {
  return permission === 'notifications' && isAllowedNavigation(requestingUrl);
}

/**
 * What to do with a window.open / target=_blank: never a new Electron window.
 * A link the operator clicks arrives as a tab disposition (click, middle
 * click); a script's window.open with window features arrives as
 * 'new-window' and is not sent anywhere. Only http(s) leaves for the browser.
 */
export function windowOpenDecision(details: { url: string; disposition?: string }): { action: 'deny'; openExternally: boolean } {
  const clicked = details.disposition === 'foreground-tab' || details.disposition === 'background-tab';
  return { action: 'deny', openExternally: clicked && isAllowedExternalUrl(details.url) };
}
