/**
 * The Electron host: lifecycle and wiring only. Every decision it applies
 * (window options, CSP, links, permissions, IPC trust, tray menu,
 * notifications, updates, keep-or-return on quit) is a pure module beside
 * this one, tested in Node.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app, BrowserWindow, dialog, ipcMain, Menu, nativeImage, Notification, protocol, Tray, type NativeImage,
} from 'electron';
import type { Core } from '../core/create-core';
import type { Alert } from '../shared/api/alerts';
import { IPC_EVENT } from '../shared/ipc-channels';
import { createAppProtocolHandler } from './app-protocol';
import { APP_ENTRY_URL, APP_SCHEME } from './app-url';
import { desktopConfig } from './desktop-config';
import { startDesktopCore } from './desktop-core';
import { hardenElectron } from './hardening';
import { forwardEvents, registerIpc, trustedFrameCheck } from './ipc';
import { bringToFront, NotificationCenter } from './notifications';
import { prepareQuit, setPresence, type HandoffChoice, type PresenceFlowDeps } from './presence-flow';
import { windowOptions } from './security';
import { translator } from './strings';
import { buildTrayMenu, INITIAL_TRAY_STATE, trayStateAfter, type TrayAction, type TrayState } from './tray-menu';
import { parseShellSettings, updatePolicy, UpdateScheduler } from './updater';

const here = dirname(fileURLToPath(import.meta.url));
const PRELOAD = join(here, '..', 'preload', 'index.cjs');
const RENDERER_DIR = join(here, '..', 'renderer');
/** resources/ ships inside the app (electron-builder `files`), beside out/. */
const resource = (...p: string[]) => join(app.getAppPath(), 'resources', ...p);

const log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) =>
  console.error(`[${level}] ${message}${fields ? ' ' + JSON.stringify(fields) : ''}`);

// Must happen before 'ready': app:// gets a real origin, secure context and fetch, like https.
// codeCache: V8 keeps the compiled console scripts between launches, so only the very first launch
// compiles them (about 150 ms of a first render in a fresh profile, measured in Chromium by console-render).
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true } },
]);

let win: BrowserWindow | null = null;
let quitting = false;

if (!app.requestSingleInstanceLock()) {
  // Another Handoff Desk holds the embedded database and the operator's presence: hand over to it.
  app.quit();
} else {
  app.on('second-instance', () => { if (!bringToFront(win)) void openWindow(); });
  app.whenReady().then(start).catch((err) => {
    log('error', 'Handoff Desk could not start', { error: err instanceof Error ? err.stack : String(err) });
    dialog.showErrorBox('Handoff Desk', `Handoff Desk could not start:\n${err instanceof Error ? err.message : String(err)}`);
    app.exit(1);
  });
}

let config = desktopConfig(process.argv, process.env);

function openWindow(): BrowserWindow {
  if (win && !win.isDestroyed()) { bringToFront(win); return win; }
  const w = new BrowserWindow(windowOptions({ preload: PRELOAD, icon: resource('icon.png'), devTools: config.devTools }));
  win = w;
  w.once('ready-to-show', () => w.show());
  // Closing the window keeps the app in the tray so alerts still arrive; quitting is explicit.
  w.on('close', (event) => { if (!quitting) { event.preventDefault(); w.hide(); } });
  w.on('closed', () => { if (win === w) win = null; });
  w.webContents.on('did-finish-load', () => w.webContents.send(IPC_EVENT, 'host.link', { up: true }));
  void w.loadURL(APP_ENTRY_URL);
  return w;
}

function askHandoff(count: number, t: ReturnType<typeof translator>): Promise<HandoffChoice> {
  const choices: HandoffChoice[] = ['keep', 'return', 'cancel'];
  const opts = {
    type: 'question' as const, title: t('handoff.title'), message: t('handoff.message', { count }), detail: t('handoff.detail'),
    buttons: [t('handoff.keep'), t('handoff.return'), t('handoff.cancel')], defaultId: 0, cancelId: 2, noLink: true,
  };
  const shown = win && !win.isDestroyed() ? dialog.showMessageBox(win, opts) : dialog.showMessageBox(opts);
  return shown.then((r) => choices[r.response] ?? 'cancel');
}

async function start(): Promise<void> {
  config = desktopConfig(process.argv, process.env);
  const t = translator(app.getLocale());
  hardenElectron((m, f) => log('warn', m, f));
  protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_DIR));
  Menu.setApplicationMenu(null);

  const { core, close } = await startDesktopCore({
    env: process.env, userDataDir: app.getPath('userData'), operatorEmail: config.operatorEmail, log,
  });

  registerIpc(ipcMain, core.invoke, trustedFrameCheck(() => (win && !win.isDestroyed() ? win.webContents.mainFrame : null)));
  forwardEvents(core.events, () => (win && !win.isDestroyed() ? win.webContents : null));
  openWindow();

  const flow: PresenceFlowDeps = { invoke: core.invoke, askHandoff: (n) => askHandoff(n, t), log: (m, f) => log('warn', m, f) };
  const tray = createTray(core, t, flow);
  const notifications = createNotifications(core, t, tray);
  const updates = await startUpdates();

  app.on('activate', () => { if (!bringToFront(win)) openWindow(); });
  app.on('window-all-closed', () => { /* the tray keeps the app alive; quit is explicit */ });
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    const signedIn = tray.state.signedIn;
    void prepareQuit(signedIn, flow).then(async (ok) => {
      if (!ok) return;
      quitting = true;
      updates.stop();
      notifications.closeAll();
      tray.destroy();
      await close().catch((err) => log('warn', 'closing the core failed', { error: String(err) }));
      app.quit();
    });
  });
}

function trayImage(): NativeImage {
  if (process.platform === 'darwin') {
    const img = nativeImage.createFromPath(resource('tray', 'trayTemplate.png'));
    img.setTemplateImage(true);
    return img;
  }
  return nativeImage.createFromPath(resource('tray', 'tray.png'));
}

function createTray(core: Core, t: ReturnType<typeof translator>, flow: PresenceFlowDeps) {
  const tray = new Tray(trayImage());
  let state: TrayState = INITIAL_TRAY_STATE;
  const act = (a: TrayAction) => {
    if (a.type === 'open') { if (!bringToFront(win)) openWindow(); }
    else if (a.type === 'quit') app.quit();
    else if (a.type === 'presence') void setPresence(a.status, flow);
    else void core.invoke('presence.set', { max: a.max }).then((r) => { if (!r.ok) log('warn', 'capacity change failed', { error: r.error.message }); });
  };
  const render = () => tray.setContextMenu(Menu.buildFromTemplate(buildTrayMenu(state, t, act)));
  tray.setToolTip(t('tooltip.idle'));
  tray.on('click', () => act({ type: 'open' }));
  render();
  core.events.subscribe((name, payload) => {
    const next = trayStateAfter(state, name, payload);
    if (next !== state) { state = next; render(); }
  });
  return {
    get state() { return state; },
    setToolTip: (s: string) => tray.setToolTip(s),
    destroy: () => tray.destroy(),
  };
}

function createNotifications(core: Core, t: ReturnType<typeof translator>, tray: { setToolTip(s: string): void }) {
  const badgeImage = nativeImage.createFromPath(resource('badge.png'));
  const center = new NotificationCenter({
    create: (o) => new Notification({ ...o, icon: nativeImage.createFromPath(resource('icon.png')) }),
    isSupported: () => Notification.isSupported(),
    window: () => win,
    opened: (conversationId) => core.events.emit('alert.opened', { conversationId }),
    acknowledge: (id) => void core.invoke('alerts.acknowledge', { id }),
    t,
    badge: {
      setCount(count) {
        if (process.platform === 'win32') {
          if (win && !win.isDestroyed()) win.setOverlayIcon(count > 0 ? badgeImage : null, count > 0 ? t('tooltip.waiting', { count }) : '');
        } else {
          app.setBadgeCount(count);
        }
      },
      setTooltip: (s) => tray.setToolTip(s),
    },
  });
  core.events.subscribe((name, payload) => {
    if (name === 'alert.raised') center.raise(payload as Alert);
    else if (name === 'queue.counts') center.counts(payload as { waiting: number });
  });
  return center;
}

async function startUpdates(): Promise<{ stop(): void }> {
  let stored = null;
  try { stored = readFileSync(join(app.getPath('userData'), 'shell-settings.json'), 'utf8'); } catch { /* defaults */ }
  const policy = updatePolicy(process.env, parseShellSettings(stored), app.isPackaged);
  if (!policy.enabled) { log('info', 'automatic updates are off', { why: policy.why }); return { stop() {} }; }
  const { default: updater } = await import('electron-updater');
  const scheduler = new UpdateScheduler({
    updater: updater.autoUpdater, policy, log,
    timers: { setInterval: (fn, ms) => setInterval(fn, ms), clearInterval: (h) => clearInterval(h as NodeJS.Timeout) },
  });
  scheduler.start();
  return scheduler;
}
