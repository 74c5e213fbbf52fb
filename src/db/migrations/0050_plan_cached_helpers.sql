-- Faster checks, same answers. The small helpers every write and policy calls
-- were SQL functions; a SQL function that cannot be inlined (security
-- definer, SET) is parsed and planned again for every statement that calls
-- it, and a write calls several once each: about a millisecond per
-- desk_claim, spent while holding the feed lock, so it capped how many
-- writes per second the whole database could take. PL/pgSQL keeps its plans
-- for the session, so the same bodies cost microseconds. Names, signatures,
-- results and rights are unchanged (bots and policies call them by name).

create or replace function public.desk_feed_lock() returns void
language plpgsql volatile set search_path = public, pg_temp as $$
begin
  perform pg_advisory_xact_lock(7204114);
end $$;

create or replace function public.desk_current_operator() returns public.operators
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare o public.operators;
begin
  select * into o from public.operators where id = auth.uid();
  return o;
end $$;

create or replace function public.desk_is_operator() returns boolean
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  return exists (select 1 from public.operators o where o.id = auth.uid());
end $$;

create or replace function public.desk_can_see_agent(p_agent_id bigint) returns boolean
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  return exists (
    select 1 from public.operators o
    left join public.admin_availability a on a.admin_id = o.id
    where o.id = auth.uid()
      and (o.role in ('supervisor', 'admin') or a.agent_ids is null or a.agent_ids @> to_jsonb(p_agent_id)));
end $$;

create or replace function public.desk_status_transition_allowed(p_from text, p_to text) returns boolean
language plpgsql immutable set search_path = public, pg_temp as $$
begin
  return p_from = p_to or (p_from, p_to) in (
    ('active', 'escalated'), ('active', 'human_handling'), ('active', 'resolved'), ('active', 'abandoned'),
    ('escalated', 'human_handling'), ('escalated', 'active'), ('escalated', 'resolved'), ('escalated', 'abandoned'),
    ('human_handling', 'escalated'), ('human_handling', 'active'), ('human_handling', 'resolved'),
    ('human_handling', 'abandoned'),
    ('resolved', 'active'), ('abandoned', 'active'));
end $$;

-- Recount without an INSERT ... ON CONFLICT (a speculative insertion) when
-- the row exists, which it almost always does.
create or replace function public.desk_recount_load(p_admin uuid) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
declare n int;
begin
  select count(*)::int into n from public.support_conversations
    where assigned_admin_id = p_admin and status = 'human_handling';
  update public.admin_availability set current_conversations = n
   where admin_id = p_admin and current_conversations is distinct from n;
  if not found and not exists (select 1 from public.admin_availability where admin_id = p_admin) then
    insert into public.admin_availability as a (admin_id, current_conversations) values (p_admin, n)
      on conflict (admin_id) do update set current_conversations = excluded.current_conversations
      where a.current_conversations is distinct from excluded.current_conversations;
  end if;
end $$;

-- engine_operators' "last given a conversation" per operator, read by index
-- instead of scanning each operator's whole history.
create index if not exists idx_support_conv_assignee_assigned_at
  on public.support_conversations(assigned_admin_id, assigned_at);

-- The engine's per-page reads, same bodies as 0010, planned once per session
-- (engine_conversation_state gains a second form that can leave messages out).
create or replace function public.engine_id_array(p jsonb) returns bigint[]
language plpgsql immutable set search_path = public, pg_temp as $$
begin
  return (select coalesce(array_agg(v::bigint), '{}') from jsonb_array_elements_text(
    case when jsonb_typeof(p) = 'array' then p else '[]'::jsonb end) v
   where v ~ '^\d{1,18}$');
end $$;

create or replace function public.engine_operators() returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  return (select coalesce(jsonb_agg(jsonb_build_object(
    'admin_id', a.admin_id, 'status', a.status, 'current_conversations', a.current_conversations,
    'max_conversations', a.max_conversations, 'agent_ids', a.agent_ids, 'last_seen_at', a.last_seen_at,
    'last_assigned_at', (select max(c.assigned_at) from public.support_conversations c where c.assigned_admin_id = a.admin_id)
  ) order by a.admin_id), '[]'::jsonb)
  from public.admin_availability a);
end $$;

create or replace function public.engine_conversation_state(c public.support_conversations, p_with_messages boolean) returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  return (select jsonb_build_object(
    'agent', jsonb_build_object('id', a.id, 'kind', a.kind, 'escalation_threshold', a.escalation_threshold,
      'human_support_enabled', a.human_support_enabled, 'support_hours', a.support_hours, 'timezone', a.timezone,
      'intent_threshold', a.intent_threshold, 'max_turns', a.max_turns, 'stuck_order_minutes', a.stuck_order_minutes,
      'no_progress_turns', a.no_progress_turns),
    'conversation', jsonb_build_object('id', c.id, 'status', c.status, 'created_at', c.created_at,
      'assigned_admin_id', c.assigned_admin_id, 'bot_enabled', c.bot_enabled, 'escalation_reason', c.escalation_reason),
    'messages', case when not p_with_messages then '[]'::jsonb else coalesce((select jsonb_agg(jsonb_strip_nulls(
        jsonb_build_object('id', m.id, 'sender_type', m.sender_type, 'content', m.content, 'created_at', m.created_at, 'confidence_score', m.confidence_score, 'ai_context', m.ai_context,
        'feedback_rating', m.feedback_rating)) order by m.id)
      from (select * from public.support_messages where conversation_id = c.id order by id desc limit 40) m), '[]'::jsonb) end,
    'order', o.metadata -> 'order', 'bot_state', b.metadata -> 'bot_state', 'guardian', g.metadata -> 'guardian',
    'sources', jsonb_build_object('order', o.id, 'bot_state', b.id, 'guardian', g.id))
  from public.agents a
  left join lateral (select l.id, l.metadata from public.conversation_logs l
     where l.conversation_id = c.id and l.metadata ? 'order' and l.created_at > coalesce(c.resolved_at, '-infinity')
     order by l.id desc limit 1) o on true
  left join lateral (select l.id, l.metadata from public.conversation_logs l
     where l.conversation_id = c.id and l.metadata ? 'bot_state' and l.created_at > coalesce(c.resolved_at, '-infinity')
     order by l.id desc limit 1) b on true
  left join lateral (select l.id, l.metadata from public.conversation_logs l
     where l.conversation_id = c.id and l.metadata ? 'guardian' and l.created_at > coalesce(c.resolved_at, '-infinity')
     order by l.id desc limit 1) g on true
  where a.id = c.agent_id);
end $$;
revoke execute on function public.engine_conversation_state(public.support_conversations, boolean) from public, anon, authenticated;

create or replace function public.engine_conversation_state(c public.support_conversations) returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  return public.engine_conversation_state(c, true);
end $$;

/**
 * engine_snapshots as in 0010, but only active conversations carry their
 * messages: the decisions read messages of active ones only (an escalated or
 * held one is routed by its bot, operators and flags), and after an
 * operator's reply, or on taking the lead over a backlog of waiting tickets,
 * building and parsing 40 messages each was most of the engine's work.
 */
create or replace function public.engine_snapshots(
  p_conversation_ids jsonb default '[]', p_message_ids jsonb default '[]', p_log_ids jsonb default '[]')
returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  conv_ids bigint[] := public.engine_id_array(p_conversation_ids);
  msg_ids bigint[] := public.engine_id_array(p_message_ids);
  log_ids bigint[] := public.engine_id_array(p_log_ids);
begin
  perform public.engine_require_caller();
  return jsonb_build_object('now', now(), 'operators', public.engine_operators(), 'conversations', coalesce((
    with named as (
      select unnest(conv_ids) as id
      union
      select m.conversation_id from public.support_messages m where m.id = any(msg_ids)
    ), logged as (
      select l.conversation_id as id, jsonb_agg(jsonb_build_object('id', l.id, 'metadata', l.metadata) order by l.id) as logs
        from public.conversation_logs l where l.id = any(log_ids) and l.conversation_id is not null
       group by l.conversation_id
    )
    select jsonb_agg(public.engine_conversation_state(c, c.status = 'active')
             || jsonb_build_object('touched', exists (select 1 from named n where n.id = c.id),
                                   'logs', coalesce(lg.logs, '[]'::jsonb)) order by c.id)
      from public.support_conversations c left join logged lg on lg.id = c.id
     where c.id in (select id from named union select id from logged)), '[]'::jsonb));
end $$;

/**
 * Take-over as in 0005, with a look before the feed lock: in a race most
 * callers lose, and a loser can tell from the committed state alone (taken,
 * closed, or the caller full), so it answers at once instead of queueing for
 * the lock every writer shares. Whoever may win re-checks everything under
 * the lock exactly as before.
 */
create or replace function public.desk_claim(p_conversation_id bigint)
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  avail public.admin_availability;
  c public.support_conversations;
begin
  me := public.desk_require_operator();
  if p_conversation_id is null then raise exception 'invalid_input: a conversation id is required'; end if;
  for attempt in 1..2 loop
    select * into c from public.support_conversations where id = p_conversation_id;
    if c.id is null or not public.desk_can_see_agent(c.agent_id) then
      raise exception 'not_found: conversation % does not exist or is not yours to see', p_conversation_id;
    end if;
    if c.status in ('resolved', 'abandoned') then
      raise exception 'invalid_status: conversation % is %', p_conversation_id, c.status;
    end if;
    select * into avail from public.admin_availability where admin_id = me.id;
    if avail.current_conversations >= avail.max_conversations then
      raise exception 'at_capacity: you already handle % of % conversations', avail.current_conversations, avail.max_conversations;
    end if;
    if c.status not in ('escalated', 'active') or c.assigned_admin_id is not null then
      raise exception 'already_claimed: conversation % is already taken', p_conversation_id;
    end if;
    -- First pass: the look. Second pass: the same checks under the lock, on what is committed now.
    exit when attempt = 2;
    perform public.desk_feed_lock();
  end loop;

  if avail.admin_id is null then
    insert into public.admin_availability(admin_id) values (me.id) on conflict (admin_id) do nothing;
  end if;
  select * into avail from public.admin_availability where admin_id = me.id for update;
  if avail.current_conversations >= avail.max_conversations then
    raise exception 'at_capacity: you already handle % of % conversations', avail.current_conversations, avail.max_conversations;
  end if;

  update public.support_conversations
     set status = 'human_handling', assigned_admin_id = me.id, assigned_at = now(), bot_enabled = false
   where id = p_conversation_id and status in ('escalated', 'active') and assigned_admin_id is null
  returning * into c;
  if c.id is null then
    raise exception 'already_claimed: conversation % is already taken', p_conversation_id;
  end if;
  return c;
end $$;
