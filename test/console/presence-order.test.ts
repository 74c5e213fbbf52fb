import { describe, expect, it } from 'vitest';
import { EventHub } from '../../src/core/api/dispatch';
import type { SharedDb } from '../../src/core/ports/shared-db';
import { PresenceService } from '../../src/core/presence';
import type { Session } from '../../src/core/session';

/**
 * An operator who switches to busy while a periodic heartbeat is still on its
 * way must end up busy in the database: otherwise the engine keeps routing
 * escalations to them (they vanish from Waiting into their Mine) until the
 * next heartbeat.
 */
describe('presence heartbeats', () => {
  it('are written in the order the status changed, even when an earlier one is slow', async () => {
    const written: string[] = [];
    let slowFirst = true;
    const db = {
      kind: 'postgres',
      async rpc(fn: string, args: Record<string, unknown>) {
        if (fn === 'desk_heartbeat') {
          const delay = slowFirst ? 80 : 0;
          slowFirst = false;
          await new Promise((r) => setTimeout(r, delay));
          written.push(String(args.p_status));
          return [];
        }
        return [{ status: 'online', current_conversations: 0, max_conversations: 5 }];
      },
      onWake: () => () => {}, onLinkChange: () => () => {}, close: async () => {},
    } as unknown as SharedDb;
    const session = {
      operator: { id: 'op' },
      require: () => ({ as: { kind: 'operator', operatorId: 'op' } }),
      onChange: () => () => {},
    } as unknown as Session;
    const presence = new PresenceService(db, session, new EventHub(), () => {}, 60_000);
    const periodic = presence.beat();
    const set = presence.set({ status: 'busy' });
    await Promise.all([periodic, set]);
    expect(written.at(-1)).toBe('busy');
    expect(presence.status).toBe('busy');
  });
});
