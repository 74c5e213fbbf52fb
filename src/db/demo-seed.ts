import type { SqlExecutor } from './sql-executor';

/** Fixed ids so seeding twice, or on two desktops, converges on one workspace. */
export const DEMO_OPERATORS = [
  { id: '00000000-0000-4000-8000-000000000001', name: 'Marie Laurent', email: 'marie@example.com', role: 'supervisor' },
  { id: '00000000-0000-4000-8000-000000000002', name: 'Pierre Martin', email: 'pierre@example.com', role: 'operator' },
] as const;

export const DEMO_BOTS = [
  {
    id: 1, name: 'Support BTP', kind: 'rag_support',
    escalation_message: 'Un conseiller va vous répondre dans quelques instants.',
    no_admin_message: "Notre équipe n'est pas disponible actuellement. Nous avons enregistré votre demande et vous répondrons dès que possible par email.",
    support_email: 'support@example.com', timezone: 'Europe/Paris',
  },
  {
    id: 2, name: 'Botlive Commandes', kind: 'order_taking',
    escalation_message: 'Un conseiller prend le relais pour finaliser votre commande.',
    no_admin_message: 'Nos conseillers reviennent vers vous très vite.',
    support_email: 'commandes@example.com', timezone: 'Africa/Abidjan',
  },
] as const;

/**
 * The demo workspace: two bots (seed 001's RAG support bot and seed 000's
 * order bot) and the operators marie (supervisor) and pierre. Idempotent.
 */
export async function seedDemo(db: SqlExecutor): Promise<void> {
  await db.transaction(async (tx) => {
    for (const o of DEMO_OPERATORS) {
      await tx.query('insert into auth.users(id, email) values ($1, $2) on conflict (id) do nothing', [o.id, o.email]);
      await tx.query(
        `insert into public.operators(id, name, email, role) values ($1, $2, $3, $4)
         on conflict (id) do update set name = excluded.name, role = excluded.role`,
        [o.id, o.name, o.email, o.role],
      );
      await tx.query(
        `insert into public.admin_availability(admin_id, status, max_conversations) values ($1, 'offline', 5)
         on conflict (admin_id) do nothing`,
        [o.id],
      );
    }
    for (const b of DEMO_BOTS) {
      await tx.query(
        `insert into public.agents(id, name, kind, escalation_message, no_admin_message, support_email, timezone)
         values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (id) do update set name = excluded.name, kind = excluded.kind`,
        [b.id, b.name, b.kind, b.escalation_message, b.no_admin_message, b.support_email, b.timezone],
      );
    }
    await tx.query(`select setval(pg_get_serial_sequence('public.agents', 'id'), greatest((select max(id) from public.agents), 1))`);
  });
}
