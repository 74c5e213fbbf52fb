import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/db/demo-seed';
import type { PgliteSharedDb } from '../../src/db/pglite-adapter';
import { freshPglite } from '../support/pg';

const SERVICE = { kind: 'service' as const };
type Snapshots = { conversations: Array<{ conversation: { id: number; status: string }; messages: unknown[] }> };

describe('engine_snapshots', () => {
  let db: PgliteSharedDb;
  beforeAll(async () => { db = await freshPglite(); await seedDemo(db.executor); });
  afterAll(async () => { await db.close(); });

  const conversationWith = async (status: string) => {
    const { rows: [c] } = await db.executor.query<{ id: number }>(
      `insert into support_conversations(agent_id, session_id, status) values (1, $1, $2) returning id`, [`s-${Math.random()}`, status]);
    await db.executor.query(`insert into support_messages(conversation_id, sender_type, content) values ($1, 'user', 'Bonjour'), ($1, 'ai', 'Bonjour !')`, [c.id]);
    return Number(c.id);
  };

  it('carries the messages of active conversations only, the ones the decisions read', async () => {
    const active = await conversationWith('active');
    const waiting = await conversationWith('escalated');
    const [snap] = await db.rpc<Snapshots>('engine_snapshots', { p_conversation_ids: [active, waiting] }, SERVICE);
    const byId = new Map(snap.conversations.map((c) => [c.conversation.id, c]));
    expect(byId.get(active)?.messages).toHaveLength(2);
    expect(byId.get(waiting)?.messages).toEqual([]);
    // The Decision API's single snapshot still shows the whole conversation, whatever its status.
    const [one] = await db.rpc<{ messages: unknown[] }>('engine_snapshot', { p_entity: 'support_conversations', p_id: String(waiting) }, SERVICE);
    expect(one.messages).toHaveLength(2);
  });
});
