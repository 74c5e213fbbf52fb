-- Take-overs no longer queue behind every other write (issue 3, 9a).
--
-- Until now every write held the feed lock from its first statement to its
-- commit, so commits happened in seq order and the feed stayed gap-free; and
-- every NOTIFY was sent from inside that transaction, which PostgreSQL also
-- commits one at a time. In a race of 50 operators that made desk_claim half
-- as fast as a job queue's fetch.
--
-- A caller that promises to publish after its commit (the pg adapter sets
-- desk.publish_after_commit and runs desk_feed_publish() once the call has
-- committed, when the call says it deferred) now claims without the feed lock:
--   * its events go to desk_feed_inbox, which has no order to keep;
--   * desk_feed_publish() then moves whatever is committed in the inbox into
--     desk_events under the feed lock, in inbox order, and sends the
--     wake-ups. Publishers and direct appenders hold the same lock until they
--     commit, so readers still see a gap-free prefix of the feed, in the
--     order events reached it (a direct write committed between a claim and
--     its publish can come first; consumers re-read rows by id). An event
--     that commits after a publisher looked is moved by its own writer's
--     publish, which waits for the lock.
--   * If the desktop dies between the commit and the publish, the events wait
--     in the inbox until the next publish or heartbeat of any desktop (at
--     most 15 s): late, never lost.
-- Callers that cannot publish (PostgREST on Supabase, PGlite, bots' own SQL)
-- keep the old path unchanged.
--
-- Load stays exact without the feed lock: the load trigger now adds or takes
-- one in a single UPDATE, whose row lock orders the changes of one operator.
-- Every writer locks a conversation before the availability row its trigger
-- updates, take-over included, so they never wait on each other in opposite
-- orders.

create table if not exists public.desk_feed_inbox (
  n bigserial primary key,
  kind text not null check (kind in ('insert', 'update', 'delete')),
  entity text not null,
  id text not null,
  operator_scope bigint,
  at timestamptz not null default now()
);
alter table public.desk_feed_inbox enable row level security;
-- Nobody reads or writes it but the trigger and the publisher (both security definer).
revoke all on public.desk_feed_inbox from public, anon, authenticated, service_role;
revoke all on sequence public.desk_feed_inbox_n_seq from public, anon, authenticated, service_role;

/**
 * Keeps each operator's current_conversations equal to the conversations they
 * hold (0004), now by adding and taking one instead of recounting: a single
 * UPDATE whose row lock orders every change of one operator's load, so
 * concurrent take-overs add up without the feed lock (a recount would need
 * the row lock first, then a count, then the write). Nothing else writes the
 * figure, and desk_heartbeat recounts it every 15 s anyway.
 */
create or replace function public.desk_track_load() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  was boolean := tg_op <> 'INSERT' and old.assigned_admin_id is not null and old.status = 'human_handling';
  now_held boolean := tg_op <> 'DELETE' and new.assigned_admin_id is not null and new.status = 'human_handling';
begin
  if was and now_held and old.assigned_admin_id = new.assigned_admin_id then return null; end if;
  if was then
    -- Never below zero: a figure written by hand must not make the holder's release fail; the heartbeat repairs it.
    update public.admin_availability set current_conversations = greatest(current_conversations - 1, 0)
     where admin_id = old.assigned_admin_id;
  end if;
  if now_held then
    update public.admin_availability set current_conversations = current_conversations + 1 where admin_id = new.assigned_admin_id;
    if not found then
      insert into public.admin_availability as a (admin_id, current_conversations) values (new.assigned_admin_id, 1)
        on conflict (admin_id) do update set current_conversations = a.current_conversations + 1;
    end if;
  end if;
  return null;
end $$;
drop function if exists public.desk_recount_load(uuid);

create or replace function public.desk_feed_append() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r record;
  scope bigint;
  e public.desk_events;
begin
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  if tg_argv[0] = 'agent_id' then scope := r.agent_id;
  elsif tg_argv[0] = 'self' then scope := r.id;
  elsif tg_argv[0] = 'conversation' then
    select c.agent_id into scope from public.support_conversations c where c.id = r.conversation_id;
  end if;
  if current_setting('desk.feed_inbox', true) = 'on' then
    insert into public.desk_feed_inbox(kind, entity, id, operator_scope) values (lower(tg_op), tg_table_name, r.id::text, scope);
    return null;
  end if;
  perform public.desk_feed_lock();
  insert into public.desk_events(kind, entity, id, operator_scope)
  values (lower(tg_op), tg_table_name, r.id::text, scope)
  returning * into e;
  perform public.desk_feed_notify(e);
  return null;
end $$;

/** The two wake-ups of one event: its seq on 'desk_events' (DESIGN.md §3) and the whole event on 'desk_feed' (0051). */
create or replace function public.desk_feed_notify(e public.desk_events) returns void
language plpgsql volatile set search_path = public, pg_temp as $$
begin
  perform pg_notify('desk_events', e.seq::text);
  perform pg_notify('desk_feed', json_build_object('seq', e.seq, 'kind', e.kind, 'entity', e.entity, 'id', e.id,
    'operator_scope', e.operator_scope, 'at', e.at)::text);
end $$;
revoke execute on function public.desk_feed_notify(public.desk_events) from public, anon, authenticated;

/**
 * Moves the committed inbox into the feed, oldest first, and wakes the
 * listeners. The caller holds the feed lock. Returns how many events moved.
 */
create or replace function public.desk_feed_drain() returns int
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  e public.desk_events;
  moved int := 0;
begin
  for e in
    with taken as (delete from public.desk_feed_inbox returning *)
    insert into public.desk_events(kind, entity, id, operator_scope, at)
    select t.kind, t.entity, t.id, t.operator_scope, t.at from taken t order by t.n
    returning *
  loop
    perform public.desk_feed_notify(e);
    moved := moved + 1;
  end loop;
  return moved;
end $$;
revoke execute on function public.desk_feed_drain() from public, anon, authenticated;

/**
 * The publish a deferring caller promised: the drain, under the feed lock, in
 * a transaction of its own after the call's commit. Anyone may run it; it
 * only publishes what is already committed. Returns how many events it moved,
 * or -1 when it could not (they wait for the next publish).
 */
create or replace function public.desk_feed_publish() returns int
language plpgsql volatile security definer set search_path = public, pg_temp as $$
begin
  -- Nothing waiting: no lock, no write.
  if not exists (select 1 from public.desk_feed_inbox) then return 0; end if;
  -- The caller's own call has already committed: a failure here must not read as the call's failure.
  begin
    perform public.desk_feed_lock();
    return public.desk_feed_drain();
  exception when others then
    raise warning 'desk_feed_publish: % (the events wait for the next publish)', sqlerrm;
    return -1;
  end;
end $$;
revoke execute on function public.desk_feed_publish() from public, anon;
grant execute on function public.desk_feed_publish() to authenticated, service_role;

/**
 * Presence as in 0005, and two safety nets, since every desktop heartbeats
 * every 15 s under the feed lock: events a desktop left in the inbox when it
 * died between a take-over's commit and its publish are drained, ahead of
 * the heartbeat's own event; and the caller's load is recounted from their
 * conversations, so a figure written by hand cannot stay wrong.
 */
create or replace function public.desk_heartbeat(p_status text, p_max_conversations int default null)
returns public.admin_availability
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  row public.admin_availability;
  held int;
begin
  perform public.desk_feed_lock();
  perform public.desk_feed_drain();
  me := public.desk_require_operator();
  if p_status is null or p_status not in ('online', 'busy', 'away', 'offline') then
    raise exception 'invalid_input: status must be online, busy, away or offline';
  end if;
  if p_max_conversations is not null and (p_max_conversations < 0 or p_max_conversations > 100) then
    raise exception 'invalid_input: capacity must be between 0 and 100';
  end if;
  insert into public.admin_availability as a (admin_id, status, max_conversations, last_seen_at)
  values (me.id, p_status, coalesce(p_max_conversations, 5), now())
  on conflict (admin_id) do update
    set status = excluded.status,
        max_conversations = coalesce(p_max_conversations, a.max_conversations),
        last_seen_at = excluded.last_seen_at
  returning * into row;
  -- Holding the row now, the count (a newer snapshot) includes every take-over committed before.
  select count(*)::int into held from public.support_conversations where assigned_admin_id = me.id and status = 'human_handling';
  if row.current_conversations <> held then
    update public.admin_availability set current_conversations = held where admin_id = me.id returning * into row;
  end if;
  return row;
end $$;

/**
 * Who may see a bot's conversations, as one expression the planner inlines:
 * supervisors and admins see all, an operator with no agent_ids all, anyone
 * else the bots listed. desk_can_see_agent and desk_claim both use it.
 */
create or replace function public.desk_agent_visible(p_role text, p_agent_ids jsonb, p_agent_id bigint) returns boolean
language sql immutable as $$
  select p_role in ('supervisor', 'admin') or p_agent_ids is null or p_agent_ids @> pg_catalog.to_jsonb(p_agent_id)
$$;
grant execute on function public.desk_agent_visible(text, jsonb, bigint) to authenticated, service_role;

create or replace function public.desk_can_see_agent(p_agent_id bigint) returns boolean
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  return exists (
    select 1 from public.operators o
    left join public.admin_availability a on a.admin_id = o.id
    where o.id = auth.uid() and public.desk_agent_visible(o.role, a.agent_ids, p_agent_id));
end $$;

/**
 * Take-over. A look first, on what is committed, in two reads (the caller
 * with their availability, then the conversation): in a race most callers
 * lose and can tell at once. Then the conditional UPDATE decides the race (no
 * row back = someone else won); its trigger adds one to the caller's load
 * under their availability row's lock, and a figure over the capacity undoes
 * the claim. A caller that will publish after commit (desk.publish_after_commit)
 * does all this without the feed lock; any other takes it first, as before.
 */
create or replace function public.desk_claim(p_conversation_id bigint)
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me record;
  c public.support_conversations;
  load int;
  cap int;
  deferred boolean;
  ignored text;
begin
  select o.id, o.role, a.agent_ids, a.current_conversations, a.max_conversations into me
    from public.operators o left join public.admin_availability a on a.admin_id = o.id
   where o.id = auth.uid();
  if me.id is null then raise exception 'not_operator: no operator profile for this user'; end if;
  if p_conversation_id is null then raise exception 'invalid_input: a conversation id is required'; end if;
  select * into c from public.support_conversations where id = p_conversation_id;
  if c.id is null or not public.desk_agent_visible(me.role, me.agent_ids, c.agent_id) then
    raise exception 'not_found: conversation % does not exist or is not yours to see', p_conversation_id;
  end if;
  if c.status in ('resolved', 'abandoned') then
    raise exception 'invalid_status: conversation % is %', p_conversation_id, c.status;
  end if;
  if me.current_conversations >= me.max_conversations then
    raise exception 'at_capacity: you already handle % of % conversations', me.current_conversations, me.max_conversations;
  end if;
  if c.status not in ('escalated', 'active') or c.assigned_admin_id is not null then
    raise exception 'already_claimed: conversation % is already taken', p_conversation_id;
  end if;

  -- set_config as an expression, not PERFORM: PL/pgSQL evaluates it without running a query.
  deferred := current_setting('desk.publish_after_commit', true) = 'on';
  if deferred then
    ignored := set_config('desk.feed_inbox', 'on', true);
  else
    perform public.desk_feed_lock();
  end if;
  update public.support_conversations
     set status = 'human_handling', assigned_admin_id = me.id, assigned_at = now(), bot_enabled = false
   where id = p_conversation_id and status in ('escalated', 'active') and assigned_admin_id is null
  returning * into c;
  if c.id is null then
    -- Closed or taken since the look.
    select * into c from public.support_conversations where id = p_conversation_id;
    if c.status in ('resolved', 'abandoned') then
      raise exception 'invalid_status: conversation % is %', p_conversation_id, c.status;
    end if;
    raise exception 'already_claimed: conversation % is already taken', p_conversation_id;
  end if;
  -- The load trigger holds this row now, so the figure is exact.
  select current_conversations, max_conversations into load, cap from public.admin_availability where admin_id = me.id;
  if load > cap then
    raise exception 'at_capacity: you already handle % of % conversations', load - 1, cap;
  end if;
  -- 'used' tells the caller a publish is due (and the triggers of anything else in this transaction append directly).
  if deferred then ignored := set_config('desk.feed_inbox', 'used', true); end if;
  return c;
end $$;

-- Row triggers every take-over fires, without a SET clause: a function with
-- one saves and restores settings on every call. Neither is security definer
-- and both name everything they use, so the caller's search_path cannot
-- change what they do.
create or replace function public.desk_touch_updated_at() returns trigger
language plpgsql as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end $$;

create or replace function public.desk_status_transition_allowed(p_from text, p_to text) returns boolean
language plpgsql immutable as $$
begin
  return p_from = p_to or (p_from, p_to) in (
    ('active', 'escalated'), ('active', 'human_handling'), ('active', 'resolved'), ('active', 'abandoned'),
    ('escalated', 'human_handling'), ('escalated', 'active'), ('escalated', 'resolved'), ('escalated', 'abandoned'),
    ('human_handling', 'escalated'), ('human_handling', 'active'), ('human_handling', 'resolved'),
    ('human_handling', 'abandoned'),
    ('resolved', 'active'), ('abandoned', 'active'));
end $$;

create or replace function public.desk_check_transition() returns trigger
language plpgsql as $$
begin
  if not public.desk_status_transition_allowed(old.status, new.status) then
    raise exception 'invalid_status: a conversation cannot go from % to %', old.status, new.status
      using errcode = 'check_violation';
  end if;
  return new;
end $$;
