-- The workspace (DESIGN.md §3): bots (agents), operators, their presence,
-- conversations and messages with the seeds' table and column names (seed 001
-- §3-4 and §7, seed 000's conversation_logs, seed 003's intent_analysis_log),
-- plus our reply_templates and engine_leases. Operators only SELECT, through
-- RLS; every write they make is a SQL function (0005).

create table if not exists public.agents (
  id bigserial primary key,
  name text not null,
  -- what kind of bot: a RAG support bot (seed 001), an order-taking bot (seed 000), ...
  kind text not null default 'rag_support' check (kind in ('rag_support', 'order_taking', 'booking', 'crm')),
  escalation_threshold real not null default 0.60 check (escalation_threshold between 0 and 1),
  human_support_enabled boolean not null default true,
  escalation_message text,
  no_admin_message text,
  support_email text,
  -- {"monday": {"start": "09:00", "end": "18:00"}, ...}; null = no restriction
  support_hours jsonb check (support_hours is null or jsonb_typeof(support_hours) = 'object'),
  timezone text not null default 'UTC',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table if not exists public.operators (
  id uuid primary key references auth.users(id) on delete cascade,
  name text not null,
  email text not null unique,
  role text not null default 'operator' check (role in ('operator', 'supervisor', 'admin')),
  created_at timestamptz not null default now()
);

create table if not exists public.admin_availability (
  id bigserial primary key,
  admin_id uuid not null unique references public.operators(id) on delete cascade,
  status text not null default 'offline' check (status in ('online', 'busy', 'away', 'offline')),
  -- maintained by a trigger on support_conversations (0004): never written by hand
  current_conversations int not null default 0 check (current_conversations >= 0),
  max_conversations int not null default 5 check (max_conversations between 0 and 100),
  -- [1, 2, 3] or null for every bot
  agent_ids jsonb check (agent_ids is null or jsonb_typeof(agent_ids) = 'array'),
  last_seen_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create table if not exists public.support_conversations (
  id bigserial primary key,
  agent_id bigint not null references public.agents(id),
  session_id text not null,
  user_id text,
  -- transitions are checked by a trigger (0004), mirrored in src/shared/conversation-state.ts
  status text not null default 'active'
    check (status in ('active', 'escalated', 'human_handling', 'resolved', 'abandoned')),
  escalation_reason text,
  escalated_at timestamptz,
  assigned_admin_id uuid references public.operators(id),
  assigned_at timestamptz,
  resolved_at timestamptz,
  resolution_type text check (resolution_type in ('answered', 'redirected', 'out_of_scope', 'duplicate')),
  resolution_notes text,
  training_status text default 'pending' check (training_status in ('pending', 'approved', 'rejected', 'indexed')),
  learned_response_id bigint,
  -- seed 003's "human mode": false while a human handles the conversation
  bot_enabled boolean not null default true,
  priority text not null default 'normal' check (priority in ('high', 'normal')),
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint human_handling_has_assignee check (status <> 'human_handling' or assigned_admin_id is not null)
);
create index if not exists idx_support_conv_status on public.support_conversations(status);
create index if not exists idx_support_conv_agent on public.support_conversations(agent_id);
create index if not exists idx_support_conv_training on public.support_conversations(training_status);
create index if not exists idx_support_conv_escalated on public.support_conversations(escalated_at) where status = 'escalated';
create index if not exists idx_support_conv_assignee on public.support_conversations(assigned_admin_id, status);

create table if not exists public.support_messages (
  id bigserial primary key,
  conversation_id bigint not null references public.support_conversations(id) on delete cascade,
  sender_type text not null check (sender_type in ('user', 'ai', 'admin', 'system')),
  admin_id uuid references public.operators(id),
  content text not null,
  ai_context jsonb,
  confidence_score double precision,
  was_escalated boolean not null default false,
  -- 1-5 stars or -1/0/1 (seed 001 §3.2)
  feedback_rating int check (feedback_rating between -1 and 5),
  feedback_comment text,
  -- the sender's idempotency key: a replayed reply returns the stored row
  client_msg_id uuid unique,
  created_at timestamptz not null default now()
);
create index if not exists idx_support_msg_conv on public.support_messages(conversation_id);
create index if not exists idx_support_msg_sender on public.support_messages(sender_type);

create table if not exists public.learned_responses (
  id bigserial primary key,
  agent_id bigint not null references public.agents(id),
  question text not null,
  answer text not null,
  source text not null default 'manual' check (source in ('manual', 'human_support', 'feedback', 'import')),
  support_conversation_id bigint references public.support_conversations(id) on delete set null,
  status text not null default 'pending' check (status in ('pending', 'approved', 'rejected')),
  created_by uuid,
  reviewed_by uuid,
  reviewed_at timestamptz,
  use_count int not null default 0,
  last_used_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists idx_learned_agent_status on public.learned_responses(agent_id, status);
do $$ begin
  if not exists (select 1 from pg_constraint where conname = 'support_conversations_learned_response_fk') then
    alter table public.support_conversations add constraint support_conversations_learned_response_fk
      foreign key (learned_response_id) references public.learned_responses(id) on delete set null;
  end if;
end $$;

-- Seed 000: the order bot writes these; metadata.needs_intervention marks a conversation for a human.
create table if not exists public.conversation_logs (
  id bigserial primary key,
  conversation_id bigint references public.support_conversations(id) on delete cascade,
  agent_id bigint references public.agents(id),
  company_id_text text,
  user_id text,
  direction text not null default 'system',
  channel text not null default 'botlive',
  message text,
  -- {"needs_intervention": true, "priority": "high", "reason": "stuck_order", "detected_by": ..., "detected_at": ...}
  metadata jsonb not null default '{}' check (jsonb_typeof(metadata) = 'object'),
  created_at timestamptz not null default now()
);
create index if not exists idx_conv_logs_agent_created on public.conversation_logs(agent_id, created_at);
create index if not exists idx_conv_logs_conversation on public.conversation_logs(conversation_id);

-- Seed 003: every intent decision, with the seed's columns plus which bot and conversation it was about.
create table if not exists public.intent_analysis_log (
  id uuid primary key default gen_random_uuid(),
  created_at timestamptz default now(),
  message_text text,
  handover_needed boolean,
  confidence_score real,
  reason text,
  final_decision boolean,
  model_used text,
  agent_id bigint references public.agents(id),
  conversation_id bigint references public.support_conversations(id) on delete set null,
  evidence jsonb
);
create index if not exists idx_intent_log_created on public.intent_analysis_log(created_at);

create table if not exists public.reply_templates (
  id bigserial primary key,
  -- null = every bot
  agent_id bigint references public.agents(id) on delete cascade,
  title text not null,
  content text not null,
  shortcut text,
  language text not null default 'fr' check (language in ('fr', 'en')),
  created_at timestamptz not null default now()
);

-- One row per lease name; token only ever grows, so a stale holder's writes are refused (0006).
create table if not exists public.engine_leases (
  name text primary key,
  holder text,
  token bigint not null default 0,
  acquired_at timestamptz,
  expires_at timestamptz not null default '-infinity'
);

create or replace function public.desk_touch_updated_at() returns trigger
language plpgsql set search_path = public, pg_temp as $$
begin
  new.updated_at := now();
  return new;
end $$;
do $$
declare t text;
begin
  foreach t in array array['agents', 'admin_availability', 'support_conversations', 'learned_responses'] loop
    execute format('drop trigger if exists desk_touch on public.%I', t);
    execute format('create trigger desk_touch before update on public.%I
                    for each row execute function public.desk_touch_updated_at()', t);
  end loop;
end $$;

-- Row-level security on every table: operators read what they may see; nobody
-- but service_role (which bypasses RLS) writes directly.
do $$
declare t text;
begin
  foreach t in array array['agents', 'operators', 'admin_availability', 'support_conversations', 'support_messages',
                           'learned_responses', 'conversation_logs', 'intent_analysis_log', 'reply_templates',
                           'engine_leases'] loop
    execute format('alter table public.%I enable row level security', t);
    execute format('revoke all on public.%I from public, anon, authenticated', t);
    execute format('grant select on public.%I to authenticated', t);
  end loop;
end $$;
grant all on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to service_role;

/** The calling operator's row, or null: the basis of every policy and function check. */
create or replace function public.desk_current_operator() returns public.operators
language sql stable security definer set search_path = public, pg_temp as $$
  select o.* from public.operators o where o.id = auth.uid()
$$;
grant execute on function public.desk_current_operator() to authenticated, service_role;

/** Whether the caller has an operator profile (a signed-up Supabase user without one sees nothing). */
create or replace function public.desk_is_operator() returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select exists (select 1 from public.operators o where o.id = auth.uid())
$$;
grant execute on function public.desk_is_operator() to authenticated, service_role;

/** Whether the caller may see this bot's conversations: supervisors and admins see all, others their agent_ids (null = all). */
create or replace function public.desk_can_see_agent(p_agent_id bigint) returns boolean
language sql stable security definer set search_path = public, pg_temp as $$
  select exists (
    select 1 from public.operators o
    left join public.admin_availability a on a.admin_id = o.id
    where o.id = auth.uid()
      and (o.role in ('supervisor', 'admin') or a.agent_ids is null or a.agent_ids @> to_jsonb(p_agent_id))
  )
$$;
grant execute on function public.desk_can_see_agent(bigint) to authenticated, service_role;

drop policy if exists agents_read on public.agents;
create policy agents_read on public.agents for select to authenticated using (public.desk_can_see_agent(id));
drop policy if exists operators_read on public.operators;
create policy operators_read on public.operators for select to authenticated using (public.desk_is_operator());
drop policy if exists availability_read on public.admin_availability;
create policy availability_read on public.admin_availability for select to authenticated using (public.desk_is_operator());
drop policy if exists conversations_read on public.support_conversations;
create policy conversations_read on public.support_conversations for select to authenticated
  using (public.desk_can_see_agent(agent_id));
drop policy if exists messages_read on public.support_messages;
create policy messages_read on public.support_messages for select to authenticated
  using (exists (select 1 from public.support_conversations c where c.id = conversation_id));
drop policy if exists learned_read on public.learned_responses;
create policy learned_read on public.learned_responses for select to authenticated
  using (public.desk_can_see_agent(agent_id));
drop policy if exists logs_read on public.conversation_logs;
create policy logs_read on public.conversation_logs for select to authenticated
  using (public.desk_is_operator() and (agent_id is null or public.desk_can_see_agent(agent_id)));
drop policy if exists intent_log_read on public.intent_analysis_log;
create policy intent_log_read on public.intent_analysis_log for select to authenticated
  using (public.desk_is_operator() and (agent_id is null or public.desk_can_see_agent(agent_id)));
drop policy if exists templates_read on public.reply_templates;
create policy templates_read on public.reply_templates for select to authenticated
  using (public.desk_is_operator() and (agent_id is null or public.desk_can_see_agent(agent_id)));
drop policy if exists leases_read on public.engine_leases;
create policy leases_read on public.engine_leases for select to authenticated using (public.desk_is_operator());

/** Sign-in on a direct or embedded database: the operators a host may pick from (trusted hosts only). */
create or replace function public.desk_operator_directory()
returns setof public.operators language sql stable security definer set search_path = public, pg_temp as $$
  select * from public.operators order by name
$$;
revoke execute on function public.desk_operator_directory() from public, anon, authenticated;
grant execute on function public.desk_operator_directory() to service_role;

/** The caller's operator row, or not_operator. */
create or replace function public.desk_require_operator() returns public.operators
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare me public.operators;
begin
  me := public.desk_current_operator();
  if me.id is null then raise exception 'not_operator: no operator profile for this user'; end if;
  return me;
end $$;
revoke execute on function public.desk_require_operator() from public, anon;
grant execute on function public.desk_require_operator() to authenticated, service_role;

/** The signed-in operator, or not_operator. */
create or replace function public.desk_whoami() returns public.operators
language sql stable security definer set search_path = public, pg_temp as $$
  select public.desk_require_operator()
$$;
grant execute on function public.desk_whoami() to authenticated;

/** The bots the caller may see, with their queue counts (runs as the caller, so RLS decides). */
create or replace function public.desk_overview()
returns table (id bigint, name text, kind text, human_support_enabled boolean,
               waiting int, in_progress int, interventions int)
language sql stable security invoker set search_path = public, pg_temp as $$
  select a.id, a.name, a.kind, a.human_support_enabled,
    (select count(*)::int from public.support_conversations c
      where c.agent_id = a.id and c.status = 'escalated' and c.assigned_admin_id is null),
    (select count(*)::int from public.support_conversations c
      where c.agent_id = a.id and c.status = 'human_handling'),
    (select count(*)::int from public.conversation_logs l
      where l.agent_id = a.id and l.metadata -> 'needs_intervention' = 'true'::jsonb
        and l.created_at > now() - interval '1 day')
  from public.agents a
  order by a.name
$$;
grant execute on function public.desk_overview() to authenticated;
