import { app, session, shell, type WebContents } from 'electron';
import { isAllowedNavigation, isAllowedPermission, windowOpenDecision } from './security';

/**
 * Applies the pure policies of security.ts to Electron: permissions for the
 * default session, and for every web contents ever created (including any a
 * bug or an injected script might create) no navigation away, no new
 * windows, no <webview>; clicked http(s) links go to the system browser.
 */
export function hardenElectron(log: (message: string, fields?: Record<string, unknown>) => void): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_wc, permission, callback, details) => {
    callback(isAllowedPermission(permission, details.requestingUrl));
  });
  ses.setPermissionCheckHandler((_wc, permission, requestingOrigin, details) =>
    isAllowedPermission(permission, details.requestingUrl ?? requestingOrigin));

  app.on('web-contents-created', (_event, contents: WebContents) => {
    const refuse = (event: { preventDefault(): void }, url: string) => {
      if (!isAllowedNavigation(url)) {
        event.preventDefault();
        log('navigation refused', { url: url.slice(0, 200) });
      }
    };
    contents.on('will-navigate', (event) => refuse(event, event.url));
    contents.on('will-frame-navigate', (event) => refuse(event, event.url));
    contents.on('will-redirect', (event) => refuse(event, event.url));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler((details) => {
      const decision = windowOpenDecision(details);
      if (decision.openExternally) void shell.openExternal(details.url).catch(() => {});
      return { action: decision.action };
    });
  });
}
