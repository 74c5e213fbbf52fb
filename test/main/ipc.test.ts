import { describe, expect, it } from 'vitest';
import { registerIpc, trustedFrameCheck, type FrameLike, type IpcMainLike } from '../../src/main/ipc';
import { IPC_INVOKE } from '../../src/shared/ipc-channels';

describe('the IPC sender check', () => {
  const main: FrameLike = { url: 'app://desk/index.html', processId: 4, routingId: 1 };
  const trusted = trustedFrameCheck(() => main);

  it('trusts the main frame of our window showing our console', () => {
    expect(trusted(main)).toBe(true);
    expect(trusted({ url: 'app://desk/index.html', processId: 4, routingId: 1 })).toBe(true);
  });

  it('refuses other frames, other pages, and everything once the window is gone', () => {
    expect(trusted({ url: 'app://desk/index.html', processId: 4, routingId: 2 })).toBe(false);
    expect(trusted({ url: 'app://desk/index.html' })).toBe(false);
    expect(trusted(null)).toBe(false);
    expect(trustedFrameCheck(() => ({ ...main, url: 'https://evil.example/' }))({ ...main, url: 'https://evil.example/' })).toBe(false);
    expect(trustedFrameCheck(() => null)(main)).toBe(false);
  });

  it('answers instead of throwing when the frame was disposed or the dispatcher fails', async () => {
    let handler: Parameters<IpcMainLike['handle']>[1] | undefined;
    const ipcMain: IpcMainLike = { handle: (_c, l) => { handler = l; }, removeHandler: () => { handler = undefined; } };
    const off = registerIpc(ipcMain, async () => { throw new Error('boom'); }, trusted);
    const disposed = { get senderFrame(): FrameLike { throw new Error('Render frame was disposed before WebFrameMain could be accessed'); } };
    expect(await handler!(disposed, 'session.get', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await handler!({ senderFrame: main }, 'session.get', {})).toMatchObject({ ok: false, error: { code: 'internal', message: 'boom' } });
    off();
    expect(handler).toBeUndefined();
    expect(IPC_INVOKE).toBe('desk:invoke');
  });
});
