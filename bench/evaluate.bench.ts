/** Decisions per second of `desk evaluate` over 10,000 generated snapshots (in-process and through the CLI pipe). */
import { spawn } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluate } from '../src/core/engine/evaluate';

const N = 10_000;
const USER = ['Comment annuler une facture ?', 'je veux parler à un conseiller', "pas besoin d'un conseiller", 'I need to speak with a human', 'Quel est le prix ?', 'jveux parlé a qqn'];

function snapshot(i: number): Record<string, unknown> {
  const now = Date.parse('2025-11-21T18:50:00Z');
  const iso = (minAgo: number) => new Date(now - minAgo * 60_000).toISOString();
  const operators = Array.from({ length: 5 }, (_, k) => ({
    admin_id: `op-${k}`, status: k % 4 === 3 ? 'away' : 'online', current_conversations: (i + k) % 6, max_conversations: 5,
    agent_ids: k % 2 ? [1, 2] : null, last_seen_at: iso(0.2), last_assigned_at: iso(k * 3),
  }));
  const base = { now: new Date(now).toISOString(), agent: { id: 1 + (i % 2), timezone: 'Europe/Paris', support_hours: i % 3 ? null : { friday: { start: '09:00', end: '18:00' } } },
    conversation: { id: i, status: 'active' }, operators };
  const messages = [{ sender_type: 'user', content: USER[i % USER.length] },
    { sender_type: 'ai', content: 'Réponse', ai_context: { max_score: (i % 10) / 10, rag_results: [{ title: 'Doc', score: (i % 10) / 10 }] }, feedback_rating: i % 13 === 0 ? -1 : null }];
  const order = i % 4 === 0 ? { completion_rate: (i % 5) * 25, updated_at: iso(i % 60), collected: { photo: i % 2 === 0, paiement: i % 3 === 0, zone: i % 5 === 0, tel: i % 7 === 0 } } : undefined;
  const bot_state = i % 6 === 0 ? { turn_count: i % 30, turns_without_progress: i % 5, technical_errors: i % 12 === 0 ? ['vision 403'] : [] } : undefined;
  return { ...base, messages, order, bot_state, guardian: i % 17 === 0 ? { action: 'ESCALATE_TO_HUMAN' } : undefined };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'desk-eval-'));
  const file = join(dir, 'snapshots.jsonl');
  const lines = Array.from({ length: N }, (_, i) => JSON.stringify(snapshot(i)));
  writeFileSync(file, lines.join('\n') + '\n');

  let t = performance.now();
  const reasons: Record<string, number> = {};
  for (const l of lines) { const d = evaluate(JSON.parse(l)); reasons[d.reason ?? 'none'] = (reasons[d.reason ?? 'none'] ?? 0) + 1; }
  const inProc = performance.now() - t;
  console.log(`in-process: ${N} decisions in ${inProc.toFixed(0)} ms = ${Math.round(N / (inProc / 1000))} decisions/s`);
  console.log(`reasons: ${JSON.stringify(reasons)}`);

  const bin = fileURLToPath(new URL('../bin/desk.js', import.meta.url));
  t = performance.now();
  const out = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'evaluate'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let count = 0;
    child.stdout.on('data', (c: Buffer) => { for (const b of c) if (b === 10) count++; });
    child.on('error', reject);
    child.on('close', () => resolve(count));
    createReadStream(file).pipe(child.stdin);
  });
  const cli = performance.now() - t;
  console.log(`desk evaluate (spawn + tsx startup included): ${out} lines in ${cli.toFixed(0)} ms = ${Math.round(out / (cli / 1000))} decisions/s`);
  rmSync(dir, { recursive: true, force: true });
}
