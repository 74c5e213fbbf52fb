import type { SqlExecutor } from '../../src/db/sql-executor';

/** What a bot writes when it escalates (owner SQL, as the bot API would): a conversation, its messages, the evidence. */
export async function escalate(db: SqlExecutor, opts: {
  agentId?: number; question?: string; score?: number; priority?: 'high' | 'normal'; deferred?: boolean;
  order?: Record<string, unknown>; customer?: Record<string, string>;
} = {}): Promise<number> {
  const score = opts.score ?? 0.45;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      `insert into support_conversations(agent_id, session_id, user_id, status, escalation_reason, escalated_at, priority, metadata)
       values ($1, 'sess-' || gen_random_uuid(), 'client@example.com', 'escalated', 'low_confidence', now(), $2, $3) returning id`,
      [opts.agentId ?? 1, opts.priority ?? 'normal', JSON.stringify({
        evidence: { score, threshold: 0.6 },
        ...(opts.deferred ? { mode: 'deferred' } : {}),
        ...(opts.order ? { order: opts.order } : {}),
        customer: opts.customer ?? { name: 'Jean Client', email: 'jean@example.com' },
      })],
    );
    const id = Number(rows[0].id);
    await tx.query(`insert into support_messages(conversation_id, sender_type, content) values ($1, 'user', $2)`,
      [id, opts.question ?? 'Comment annuler une facture validée ?']);
    await tx.query(
      `insert into support_messages(conversation_id, sender_type, content, confidence_score, ai_context)
       values ($1, 'ai', 'Je n''ai pas trouvé d''information fiable.', $2, $3)`,
      [id, score, JSON.stringify({ max_score: score, rag_results: [{ title: 'Gestion des avoirs', score }] })],
    );
    await tx.query(`insert into support_messages(conversation_id, sender_type, content) values ($1, 'system', 'Conversation transférée au support')`, [id]);
    return id;
  });
}

export async function waitFor<T>(probe: () => T | Promise<T>, what: string, ms = 10_000): Promise<NonNullable<T>> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v as NonNullable<T>;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
