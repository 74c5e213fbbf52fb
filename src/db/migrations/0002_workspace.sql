-- The workspace: bots (agents), operators, their presence, conversations and
-- messages, with the seeds' table and column names (seed 001 §3-4, seed 000).

create table if not exists public.agents (
  id bigserial primary key,
  name text not null,
  -- what kind of bot: a RAG support bot (seed 001) or an order-taking bot (seed 000)
  kind text not null default 'rag_support' check (kind in ('rag_support', 'order_taking', 'booking', 'crm')),
  escalation_threshold real not null default 0.60 check (escalation_threshold between 0 and 1),
  human_support_enabled boolean not null default true,
  escalation_message text,
  no_admin_message text,
  support_email text,
  support_hours jsonb,
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
  current_conversations int not null default 0 check (current_conversations >= 0),
  max_conversations int not null default 5 check (max_conversations between 0 and 100),
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
  bot_enabled boolean not null default true,
  priority text not null default 'normal' check (priority in ('high', 'normal')),
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index if not exists idx_support_conv_status on public.support_conversations(status);
create index if not exists idx_support_conv_agent on public.support_conversations(agent_id);

create table if not exists public.support_messages (
  id bigserial primary key,
  conversation_id bigint not null references public.support_conversations(id) on delete cascade,
  sender_type text not null check (sender_type in ('user', 'ai', 'admin', 'system')),
  admin_id uuid references public.operators(id),
  content text not null,
  ai_context jsonb,
  confidence_score double precision,
  was_escalated boolean not null default false,
  feedback_rating int,
  feedback_comment text,
  client_msg_id uuid unique,
  created_at timestamptz not null default now()
);
create index if not exists idx_support_msg_conv on public.support_messages(conversation_id);

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
  metadata jsonb not null default '{}',
  created_at timestamptz not null default now()
);

-- Row-level security: operators read what they may see; every write goes through SQL functions.
alter table public.agents enable row level security;
alter table public.operators enable row level security;
alter table public.admin_availability enable row level security;
alter table public.support_conversations enable row level security;
alter table public.support_messages enable row level security;
alter table public.conversation_logs enable row level security;

grant select on public.agents, public.operators, public.admin_availability, public.support_conversations,
  public.support_messages, public.conversation_logs to authenticated;
grant all on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to service_role;

/** The calling operator's row, or null: the basis of every policy and function check. */
create or replace function public.desk_current_operator() returns public.operators
language sql stable security definer set search_path = public, pg_temp as $$
  select o.* from public.operators o where o.id = auth.uid()
$$;
grant execute on function public.desk_current_operator() to authenticated, service_role;

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
create policy operators_read on public.operators for select to authenticated
  using ((select public.desk_current_operator()) is not null);
drop policy if exists availability_read on public.admin_availability;
create policy availability_read on public.admin_availability for select to authenticated
  using ((select public.desk_current_operator()) is not null);
drop policy if exists conversations_read on public.support_conversations;
create policy conversations_read on public.support_conversations for select to authenticated
  using (public.desk_can_see_agent(agent_id));
drop policy if exists messages_read on public.support_messages;
create policy messages_read on public.support_messages for select to authenticated
  using (exists (select 1 from public.support_conversations c where c.id = conversation_id));
drop policy if exists logs_read on public.conversation_logs;
create policy logs_read on public.conversation_logs for select to authenticated
  using (agent_id is null or public.desk_can_see_agent(agent_id));

/** Sign-in on a direct or embedded database: the operators a host may pick from (trusted hosts only). */
create or replace function public.desk_operator_directory()
returns setof public.operators language sql stable security definer set search_path = public, pg_temp as $$
  select * from public.operators order by name
$$;
revoke execute on function public.desk_operator_directory() from public, anon, authenticated;
grant execute on function public.desk_operator_directory() to service_role;

/** The signed-in operator, or not_operator. */
create or replace function public.desk_whoami() returns public.operators
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare me public.operators;
begin
  me := public.desk_current_operator();
  if me.id is null then raise exception 'not_operator: no operator profile for this user'; end if;
  return me;
end $$;
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
