import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/desk.js', import.meta.url));

function desk(args: string[], stdin: string): Promise<{ code: number | null; lines: unknown[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, DESK_LLM_URL: '' } });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, lines: out.trim().split('\n').map((l) => JSON.parse(l)) }));
    child.stdin.end(stdin);
  });
}

const snapshot = (id: number, extra: Record<string, unknown>) => JSON.stringify({
  now: '2025-11-21T18:50:00Z', agent: { id: 2 }, conversation: { id, status: 'active' }, messages: [],
  operators: [{ admin_id: 'pierre', status: 'online', current_conversations: 0, max_conversations: 5, agent_ids: [2], last_seen_at: '2025-11-21T18:49:50Z' }],
  ...extra,
});

describe('desk evaluate', () => {
  it('answers one JSON line per input line, in order, and survives bad lines', async () => {
    const input = [
      snapshot(1, { guardian: { action: 'ESCALATE_TO_HUMAN', reason: 'hors périmètre' } }),
      '{not json',
      snapshot(2, { order: { completion_rate: 100, updated_at: '2025-11-21T10:00:00Z', collected: { photo: true, paiement: true, zone: true, tel: true } } }),
      JSON.stringify({ now: '2025-11-21T18:50:00Z', agent: { id: 2 }, conversation: { id: 3, status: 'bogus' }, messages: [], operators: [] }),
      snapshot(4, { messages: [{ sender_type: 'user', content: 'je veux parler à un conseiller' }] }),
    ].join('\n');
    const { code, lines } = await desk(['evaluate'], input + '\n');
    expect(code).toBe(0);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatchObject({ escalate: true, reason: 'guardian_escalation', priority: 'high', mode: 'live', assignee: 'pierre' });
    expect(lines[1]).toEqual({ error: expect.stringMatching(/invalid JSON/) });
    expect(lines[2]).toMatchObject({ escalate: false, completed: true, reason: null });
    expect(lines[3]).toEqual({ error: expect.stringMatching(/conversation\.status/) });
    expect(lines[4]).toMatchObject({ escalate: true, reason: 'user_request', priority: 'normal' });
  });
});

describe('desk intent', () => {
  it('scores each message and reports bad lines', async () => {
    const { code, lines } = await desk(['intent'], '{"text":"I need to speak with a human"}\n42\n{"text":"pas besoin d\'un conseiller"}\n');
    expect(code).toBe(0);
    expect(lines[0]).toMatchObject({ wants_human: true, threshold: 0.7 });
    expect(lines[1]).toHaveProperty('error');
    expect(lines[2]).toMatchObject({ wants_human: false, negated: true });
  });
});
