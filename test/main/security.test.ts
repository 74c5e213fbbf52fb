import { describe, expect, it } from 'vitest';
import {
  CONTENT_SECURITY_POLICY, isAllowedExternalUrl, isAllowedNavigation, isAllowedPermission, windowOpenDecision, windowOptions,
} from '../../src/main/security';
import { APP_ENTRY_URL, isAppUrl } from '../../src/main/app-url';

describe('the window', () => {
  const opts = windowOptions({ preload: '/app/out/preload/index.cjs' });

  it('isolates the page from Node and Electron', () => {
    expect(opts.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false, webSecurity: true, allowRunningInsecureContent: false, webviewTag: false,
    });
  });

  it('has no developer tools unless asked for', () => {
    expect(opts.webPreferences.devTools).toBe(false);
    expect(windowOptions({ preload: 'p', devTools: true }).webPreferences.devTools).toBe(true);
  });
});

describe('the content security policy', () => {
  const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => {
    const [name, ...values] = d.trim().split(/\s+/);
    return [name, values] as const;
  }));

  it('allows only our own origin by default and never eval', () => {
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('forbids plugins, framing by others, base rewriting and form posts', () => {
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('form-action')).toEqual(["'none'"]);
  });

  it('lets the page reach nothing but itself', () => {
    expect(directives.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('links that leave the app', () => {
  it.each([
    'https://example.com/help', 'http://intranet.local:8080/ticket?id=3', 'HTTPS://EXAMPLE.COM',
  ])('opens %s in the system browser', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,<script>1</script>', 'smb://server/share',
    'ms-msdt:/id PCWDiagnostic', 'vscode://file/x', 'app://desk/index.html', 'https://user:pw@example.com/',
    'not a url', '', `https://example.com/${'a'.repeat(3000)}`,
  ])('keeps %s closed', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });

  it('sends a clicked http(s) link to the browser and never opens a window', () => {
    expect(windowOpenDecision({ url: 'https://example.com', disposition: 'foreground-tab' })).toEqual({ action: 'deny', openExternally: true });
    expect(windowOpenDecision({ url: 'https://example.com', disposition: 'background-tab' })).toEqual({ action: 'deny', openExternally: true });
  });

  it('does not open what a script asks for with window.open features, nor other schemes', () => {
    expect(windowOpenDecision({ url: 'https://example.com', disposition: 'new-window' })).toEqual({ action: 'deny', openExternally: false });
    expect(windowOpenDecision({ url: 'file:///etc/passwd', disposition: 'foreground-tab' })).toEqual({ action: 'deny', openExternally: false });
  });
});

describe('navigation and permissions', () => {
  it('stays on our console', () => {
    expect(isAllowedNavigation(APP_ENTRY_URL)).toBe(true);
    expect(isAllowedNavigation('app://desk/queue')).toBe(true);
    expect(isAllowedNavigation('https://example.com/')).toBe(false);
    expect(isAllowedNavigation('file:///home/me/index.html')).toBe(false);
    expect(isAllowedNavigation('app://other/index.html')).toBe(false);
    expect(isAllowedNavigation('app://desk:80/index.html')).toBe(false);
  });

  it('grants notifications to our console and nothing else', () => {
    expect(isAllowedPermission('notifications', APP_ENTRY_URL)).toBe(true);
    expect(isAllowedPermission('notifications', 'https://example.com/')).toBe(false);
    for (const p of ['media', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) {
      expect(isAllowedPermission(p, APP_ENTRY_URL)).toBe(false);
    }
  });

  it('recognises only well-formed URLs of our origin', () => {
    expect(isAppUrl(null)).toBe(false);
    expect(isAppUrl('app://user@desk/')).toBe(false);
    expect(isAppUrl('app://desk')).toBe(true);
  });
});
