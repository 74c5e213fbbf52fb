-- The change feed (DESIGN.md §3). Triggers append one row per change and
-- pg_notify the seq; clients pull desk_events_since(last seq) on every
-- (re)connect and wake-up, so a dropped connection loses nothing.
--
-- Gap-free reading: seq values are taken at insert but transactions commit
-- out of order, so a reader could see seq 101 before 100 commits and skip 100
-- forever. Appends are therefore serialised with a transaction-level advisory
-- lock: a transaction that appends holds the feed until it commits, so
-- commits happen in seq order and every snapshot sees a prefix of the feed.
-- Every write function takes that lock first (before any row lock), so the
-- feed lock and row locks are always taken in the same order.

create table if not exists public.desk_events (
  seq bigserial primary key,
  kind text not null check (kind in ('insert', 'update', 'delete')),
  entity text not null,
  id text not null,
  -- the bot whose operators may see this event; null = every operator
  operator_scope bigint,
  at timestamptz not null default now()
);
alter table public.desk_events enable row level security;
-- Only the triggers append (they hold the lock); readers use desk_events_since.
revoke all on public.desk_events from public, anon, authenticated, service_role;
grant select on public.desk_events to service_role, authenticated;
-- Supabase realtime only delivers INSERTs a subscriber may SELECT, so operators get the same filter as desk_events_since.
drop policy if exists events_read on public.desk_events;
create policy events_read on public.desk_events for select to authenticated
  using (public.desk_is_operator() and (operator_scope is null or public.desk_can_see_agent(operator_scope)));

-- Any fixed key; it only has to be the same for every writer.
create or replace function public.desk_feed_lock() returns void
language sql volatile set search_path = public, pg_temp as $$
  select pg_advisory_xact_lock(7204114)
$$;
grant execute on function public.desk_feed_lock() to authenticated, service_role;

create or replace function public.desk_feed_append() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  rec jsonb := to_jsonb(coalesce(new, old));
  scope bigint;
  s bigint;
begin
  perform public.desk_feed_lock();
  scope := case tg_table_name
    when 'agents' then (rec ->> 'id')::bigint
    when 'support_conversations' then (rec ->> 'agent_id')::bigint
    when 'conversation_logs' then (rec ->> 'agent_id')::bigint
    when 'learned_responses' then (rec ->> 'agent_id')::bigint
    when 'reply_templates' then (rec ->> 'agent_id')::bigint
    when 'support_messages' then (select c.agent_id from public.support_conversations c
                                  where c.id = (rec ->> 'conversation_id')::bigint)
    else null end;
  insert into public.desk_events(kind, entity, id, operator_scope)
  values (lower(tg_op), tg_table_name, rec ->> 'id', scope)
  returning seq into s;
  perform pg_notify('desk_events', s::text);
  return null;
end $$;

do $$
declare t text;
begin
  foreach t in array array['agents', 'operators', 'admin_availability', 'support_conversations',
                           'support_messages', 'conversation_logs', 'learned_responses', 'reply_templates'] loop
    execute format('drop trigger if exists desk_feed on public.%I', t);
    execute format('create trigger desk_feed after insert or update or delete on public.%I
                    for each row execute function public.desk_feed_append()', t);
  end loop;
end $$;

/**
 * Events after p_seq that the caller may see, oldest first, at most p_limit rows.
 * An operator who may see only some bots can find nothing visible in a long
 * stretch of the feed; then the last row is a marker (kind 'skip', entity
 * 'desk_events', no data) whose seq is how far the scan went, so the client's
 * cursor still advances and the next call does not rescan the same stretch.
 */
create or replace function public.desk_events_since(p_seq bigint, p_limit int default 500)
returns table (seq bigint, kind text, entity text, id text, operator_scope bigint, at timestamptz)
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  is_service boolean := coalesce(auth.jwt() ->> 'role', '') = 'service_role';
  me public.operators;
  sees_all boolean;
  allowed jsonb;
  e public.desk_events;
  n int := 0;
  scanned bigint := p_seq;
  returned bigint := p_seq;
begin
  if p_seq is null or p_seq < 0 then raise exception 'invalid_input: p_seq must be >= 0'; end if;
  if p_limit is null or p_limit < 1 or p_limit > 5000 then raise exception 'invalid_input: p_limit must be 1..5000'; end if;
  if is_service then
    return query select d.seq, d.kind, d.entity, d.id, d.operator_scope, d.at
      from public.desk_events d where d.seq > p_seq order by d.seq limit p_limit;
    return;
  end if;
  me := public.desk_current_operator();
  if me.id is null then raise exception 'not_operator: no operator profile for this user'; end if;
  select a.agent_ids into allowed from public.admin_availability a where a.admin_id = me.id;
  sees_all := me.role in ('supervisor', 'admin') or allowed is null;
  -- Most operators see every bot: one set-based query, no per-row visibility test.
  if sees_all then
    return query select d.seq, d.kind, d.entity, d.id, d.operator_scope, d.at
      from public.desk_events d where d.seq > p_seq order by d.seq limit p_limit;
    return;
  end if;
  -- The scan is bounded so a sparse reader gets an answer (and a marker) quickly.
  for e in select * from public.desk_events d where d.seq > p_seq order by d.seq limit p_limit * 20 loop
    scanned := e.seq;
    if sees_all or e.operator_scope is null or allowed @> to_jsonb(e.operator_scope) then
      seq := e.seq; kind := e.kind; entity := e.entity; id := e.id; operator_scope := e.operator_scope; at := e.at;
      return next;
      returned := e.seq;
      n := n + 1;
      if n = p_limit then return; end if;
    end if;
  end loop;
  if scanned > returned then
    seq := scanned; kind := 'skip'; entity := 'desk_events'; id := scanned::text; operator_scope := null; at := now();
    return next;
  end if;
end $$;
revoke execute on function public.desk_events_since(bigint, int) from public, anon;
grant execute on function public.desk_events_since(bigint, int) to authenticated, service_role;

/** The newest seq, so a fresh client can start from now instead of replaying history. */
create or replace function public.desk_feed_head() returns bigint
language sql stable security definer set search_path = public, pg_temp as $$
  select coalesce(max(seq), 0) from public.desk_events
$$;
grant execute on function public.desk_feed_head() to authenticated, service_role;
