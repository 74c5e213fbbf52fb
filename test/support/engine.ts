import type { SharedDb } from '../../src/core/ports/shared-db';
import type { SqlExecutor } from '../../src/db/sql-executor';

const SERVICE = { kind: 'service' as const };

/** An operator online with room for many conversations; the feed lock first, as desk_heartbeat takes it. */
export function onlineWithRoom(sql: SqlExecutor, operatorId: string): Promise<void> {
  return sql.transaction(async (tx) => {
    await tx.query('select public.desk_feed_lock()');
    await tx.query(`update admin_availability set status = 'online', max_conversations = 100, last_seen_at = now() where admin_id = $1`, [operatorId]);
  });
}

/** A bot conversation whose AI answer scores far below the threshold: the engine escalates it (low_confidence). */
export async function lowScoreConversation(db: SharedDb, session: string): Promise<number> {
  const [c] = await db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: 1, p_session_id: session }, SERVICE);
  await db.rpc('bot_post_message', { p_conversation_id: c.id, p_sender_type: 'ai', p_content: "Je n'ai pas trouvé d'information fiable.",
    p_ai_context: { max_score: 0.2 } }, SERVICE);
  return c.id;
}
