import type { Log } from '../api/dispatch';
import type { SharedDb } from '../ports/shared-db';

/**
 * A pretend bot for the demo workspace (`desk serve --demo`, the embedded
 * default): it writes realistic conversations for the two demo bots through
 * the bot API, as a real bot would, and lets the engine decide. Each tick
 * starts one scenario and advances the running ones by one turn, so every
 * escalation reason shows up within a few minutes.
 */
const SERVICE = { kind: 'service' as const };
const RAG = 1;
const ORDERS = 2;

type Step = (c: Ctx) => Promise<void>;
export interface Ctx { db: SharedDb; conversationId: number; bot: DemoBot }
interface Running { steps: Step[]; next: number; ctx: Ctx }

const user = (text: string): Step => (c) => c.bot.post(c.conversationId, 'user', text);
const ai = (text: string, maxScore: number, sources: Array<[string, number]> = []): Step => (c) =>
  c.bot.post(c.conversationId, 'ai', text, {
    max_score: maxScore, rag_results: sources.map(([title, score]) => ({ title, score })), model_used: 'mistral:7b',
  });
const log = (metadata: Record<string, unknown>, message?: string): Step => (c) =>
  c.db.rpc('bot_log_event', { p_conversation_id: c.conversationId, p_metadata: metadata, p_message: message ?? null }, SERVICE).then(() => {});
const order = (collected: Partial<Record<'photo' | 'paiement' | 'zone' | 'tel', boolean>>, minutesAgo = 0): Step => (c) => {
  const all = { photo: false, paiement: false, zone: false, tel: false, ...collected };
  const rate = Object.values(all).filter(Boolean).length * 25;
  return log({ order: { completion_rate: rate, collected: all, updated_at: new Date(Date.now() - minutesAgo * 60_000).toISOString() } },
    `${rate / 25}/4 collectés`)(c);
};
/** Seed 001's RAG flow: a learned answer first, else a low score that the engine escalates. */
export const ragQuestion = (question: string, weakAnswer: string, score: number, sources: Array<[string, number]>): Step[] => [
  user(question),
  async (c) => {
    const learned = await c.bot.learnedAnswer(RAG, question);
    // Naming the learned response is what counts this answer as an escalation avoided.
    if (learned) await c.bot.post(c.conversationId, 'ai', learned.answer, { max_score: learned.score, learned_response_id: learned.id, rag_results: [] });
    else await ai(weakAnswer, score, sources)(c);
  },
];

const SCENARIOS: Array<{ agent: number; steps: Step[] }> = [
  { agent: RAG, steps: [user('Comment créer un avoir ?'), ai('Allez dans Facturation > Avoirs > Nouveau, puis sélectionnez la facture.', 0.82, [['Gestion des avoirs', 0.82]])] },
  { agent: RAG, steps: ragQuestion('Comment annuler une facture validée ?', "Je n'ai pas trouvé d'information fiable pour répondre à cette question.", 0.45, [['Gestion des avoirs', 0.45], ['Facturation', 0.38]]) },
  { agent: ORDERS, steps: [user('Bonjour, je veux commander la robe rouge'), order({}), user('Voici la photo'), order({ photo: true, paiement: true }), order({ photo: true, paiement: true, zone: true }), user('0707070707'),
    order({ photo: true, paiement: true, zone: true, tel: true }), log({ final_recap: true }, '✅PARFAIT Commande confirmée 😊 Livraison prévue demain, acompte de 2020 F déjà versé.')] },
  { agent: RAG, steps: [user('Bonjour'), ai('Bonjour ! Comment puis-je vous aider ?', 0.9), user('jveux parlé a un conseillé stp')] },
  { agent: ORDERS, steps: [user('Je veux ce sac'), order({ photo: true }, 2)] },
  { agent: RAG, steps: [user("Quelle est la TVA sur la pose d'une véranda ?"), ai("Je ne suis pas sûr de la réponse : cela dépend du type de travaux.", 0.66, [['TVA travaux', 0.66]])] },
  { agent: ORDERS, steps: [user("J'ai envoyé la photo"), log({ bot_state: { turn_count: 4, turns_without_progress: 3, technical_errors: ['vision: 403 Forbidden (image Facebook)'] } }), order({}, 1)] },
  { agent: RAG, steps: [user('Comment exporter mes devis ?'), ai('Menu Devis > Exporter.', 0.71, [['Export', 0.71]]), async (c) => c.bot.rateLastAi(c.conversationId, -1)] },
  { agent: ORDERS, steps: [user('Commande pour Cocody'), order({ photo: true, paiement: true }, 40)] },
  { agent: ORDERS, steps: [user('Vous pouvez me garantir un remboursement si le produit me rend malade ?'), log({ guardian: { action: 'ESCALATE_TO_HUMAN', requires_human_intervention: true, reason: 'question à risque (santé)' } })] },
  { agent: RAG, steps: [user('Ça ne marche toujours pas'), log({ bot_state: { turn_count: 26 } })] },
  { agent: RAG, steps: [user("Pas besoin d'un conseiller, comment relancer un client ?"), ai('Dans Clients > Relances, choisissez le modèle de relance.', 0.77, [['Relances', 0.77]])] },
];

export interface DemoBotOptions { db: SharedDb; log: Log; intervalMs?: number }

export class DemoBot {
  private timer: NodeJS.Timeout | null = null;
  private running: Running[] = [];
  private n = 0;
  private learnedAvailable = true;

  constructor(private opts: DemoBotOptions) {}

  start(): void {
    this.timer = setInterval(() => void this.tick().catch((e) => this.opts.log('warn', 'demo bot: tick failed', { error: (e as Error).message })), this.opts.intervalMs ?? 4000);
    this.timer.unref?.();
  }

  stop(): void { if (this.timer) clearInterval(this.timer); this.timer = null; }

  async tick(): Promise<void> {
    const s = SCENARIOS[this.n % SCENARIOS.length];
    const session = `demo-${Date.now().toString(36)}-${this.n++}`;
    const [c] = await this.opts.db.rpc<{ id: number }>('bot_start_conversation', { p_agent_id: s.agent, p_session_id: session, p_user_id: session }, SERVICE);
    this.running.push({ steps: s.steps, next: 0, ctx: { db: this.opts.db, conversationId: c.id, bot: this } });
    for (const r of [...this.running]) {
      try {
        await r.steps[r.next++](r.ctx);
      } catch (err) {
        // Human mode: the engine turned the bot off for this conversation; it stops talking, as it should.
        if (!/^not_allowed/.test((err as Error).message)) throw err;
        r.next = r.steps.length;
      }
      if (r.next >= r.steps.length) this.running.splice(this.running.indexOf(r), 1);
    }
  }

  post(conversationId: number, sender: 'user' | 'ai', content: string, aiContext?: Record<string, unknown>): Promise<void> {
    return this.opts.db.rpc('bot_post_message', {
      p_conversation_id: conversationId, p_sender_type: sender, p_content: content, p_ai_context: aiContext ?? null,
    }, SERVICE).then(() => {});
  }

  async rateLastAi(conversationId: number, rating: number): Promise<void> {
    const [snap] = await this.opts.db.rpc<{ messages: Array<{ id: number; sender_type: string }> }>('engine_snapshot', { p_entity: 'support_conversations', p_id: String(conversationId) }, SERVICE);
    const last = [...(snap?.messages ?? [])].reverse().find((m) => m.sender_type === 'ai');
    if (last) await this.opts.db.rpc('bot_set_feedback', { p_message_id: last.id, p_rating: rating }, SERVICE);
  }

  /**
   * An approved learned answer close enough to give instead of escalating (seed 001 §7 "IA répond directement"):
   * match_learned_response's best row when it reaches the bot's learned_answer_min_score, the threshold the
   * training view's reuse counts are also about.
   */
  async learnedAnswer(agentId: number, question: string): Promise<{ id: number; answer: string; score: number } | null> {
    if (!this.learnedAvailable) return null;
    try {
      const [best] = await this.opts.db.rpc<{ id: number; answer: string; score: number }>('match_learned_response', { p_agent_id: agentId, p_question: question }, SERVICE);
      if (!best) return null;
      const [min] = await this.opts.db.rpc<number | { learned_answer_min_score: number } | null>('learned_answer_min_score', { p_agent_id: agentId }, SERVICE);
      // A scalar function comes back as its value (to_jsonb of the row of one column).
      const threshold = Number(typeof min === 'object' && min !== null ? min.learned_answer_min_score : min ?? 1);
      return best.score >= threshold ? { ...best, id: Number(best.id), score: Number(best.score) } : null;
    } catch (err) {
      if (/does not exist/.test((err as Error).message)) { this.learnedAvailable = false; return null; }
      throw err;
    }
  }
}
