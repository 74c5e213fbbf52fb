import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core } from '../../src/core/create-core';
import { seedDemo } from '../../src/db/demo-seed';
import { pickAuthenticator } from '../../src/db/pick-auth';
import type { SqlExecutor } from '../../src/db/sql-executor';
import { startHttpHost, type HttpHost } from '../../src/server/http-host';
import { APP_ENTRY_URL } from '../../src/main/app-url';
import { forwardEvents, registerIpc, trustedFrameCheck, type FrameLike } from '../../src/main/ipc';
import { createIpcBridge } from '../../src/preload/bridge';
import type { DeskBridge } from '../../src/shared/contract';
import { freshPglite } from '../support/pg';
import { IpcStandIn } from './ipc-standin';
import { connectWsBridge } from './ws-client';

/** A core over a fresh embedded database with the demo workspace, as `desk serve` and the desktop build it. */
export async function demoCore(): Promise<{ core: Core; executor: SqlExecutor; close(): Promise<void> }> {
  const db = await freshPglite();
  await seedDemo(db.executor);
  const core = createCore({ db, auth: pickAuthenticator(db) });
  await core.start();
  return {
    core, executor: db.executor,
    async close() { await core.stop(); await db.close(); },
  };
}

export interface Opened {
  /** window.desk as the renderer sees it through this transport. */
  bridge: DeskBridge;
  executor: SqlExecutor;
  close(): Promise<void>;
}

export interface WsOpened extends Opened { host: HttpHost }
export interface IpcOpened extends Opened { standIn: IpcStandIn; mainFrame: FrameLike; core: Core }

export async function openWebSocket(): Promise<WsOpened> {
  const { core, executor, close } = await demoCore();
  const staticDir = mkdtempSync(join(tmpdir(), 'desk-contract-ws-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Handoff Desk</title>');
  const host = await startHttpHost({ core, staticDir, port: 0 });
  const bridge = await connectWsBridge(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, `http://127.0.0.1:${host.port}`);
  return {
    bridge, executor, host,
    async close() {
      bridge.close();
      await host.close();
      await close();
      rmSync(staticDir, { recursive: true, force: true });
    },
  };
}

export async function openIpc(): Promise<IpcOpened> {
  const { core, executor, close } = await demoCore();
  const standIn = new IpcStandIn();
  // The frame object Electron hands the main process for our window's top-level document.
  const mainFrame: FrameLike = { url: APP_ENTRY_URL };
  const unregister = registerIpc(standIn.ipcMain, core.invoke, trustedFrameCheck(() => mainFrame));
  const unforward = forwardEvents(core.events, () => standIn.webContents);
  const bridge = createIpcBridge(standIn.rendererIn(mainFrame));
  return {
    bridge, executor, standIn, mainFrame, core,
    async close() { unforward(); unregister(); await close(); },
  };
}
