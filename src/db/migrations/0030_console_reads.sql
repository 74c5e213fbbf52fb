-- Read functions of the operator console (issue 5). The views are
-- security_invoker and desk_conversation runs as the caller, so RLS decides.
-- The list functions (desk_queue, desk_queue_counts, desk_alert_candidates)
-- are SECURITY DEFINER for speed only: per-row RLS (desk_can_see_agent on
-- every conversation, and again through every message) made a 5,000-row
-- queue cost half a second. They apply the very same rule as the policies,
-- desk_can_see_agent, once per bot instead of once per row.
--
-- Where the engine keeps what the console shows (support_conversations.metadata):
--   evidence  the escalation decision's evidence, e.g. {"score": 0.45, "threshold": 0.6}
--   mode      'live' | 'deferred' (a deferred ticket is answered later by email)
--   order     {completion_rate, collected: {photo, paiement, zone, tel}} for order bots
--   customer  {name?, email?, phone?} as the bot knows them

-- One row per conversation as a queue shows it. security_invoker keeps RLS on
-- the underlying tables; the preview subquery only runs for rows returned.
create or replace view public.desk_queue_items with (security_invoker = true) as
select
  c.id,
  'c' || c.id as key,
  c.agent_id,
  a.name as agent_name,
  a.kind as agent_kind,
  c.status,
  case
    when c.status = 'escalated' and c.assigned_admin_id is null and c.metadata ->> 'mode' = 'deferred' then 'deferred'
    when c.status = 'escalated' and c.assigned_admin_id is null then 'waiting'
    when c.status in ('escalated', 'human_handling') and c.assigned_admin_id is not null then 'assigned'
    when c.status = 'resolved' then 'resolved'
    else 'other' end as lane,
  c.escalation_reason as reason,
  coalesce(c.metadata -> 'evidence', c.metadata -> 'escalation' -> 'evidence') as evidence,
  c.priority,
  coalesce(c.escalated_at, c.created_at) as since,
  (select left(m.content, 160) from public.support_messages m
    where m.conversation_id = c.id and m.sender_type = 'user' order by m.id desc limit 1) as preview,
  coalesce(c.metadata -> 'customer' ->> 'name', c.metadata -> 'customer' ->> 'email', c.user_id) as customer,
  c.assigned_admin_id,
  (select o.name from public.operators o where o.id = c.assigned_admin_id) as assigned_name,
  c.assigned_at,
  c.resolved_at,
  c.resolution_type,
  greatest(c.updated_at, c.escalated_at, c.assigned_at, c.created_at) as changed_at
from public.support_conversations c
join public.agents a on a.id = c.agent_id;
grant select on public.desk_queue_items to authenticated, service_role;

-- Seed 000: the latest needs_intervention log per conversation in the last day,
-- while that conversation is still open.
create or replace view public.desk_intervention_items with (security_invoker = true) as
select * from (
  select distinct on (coalesce(l.conversation_id::text, 'log' || l.id))
    l.conversation_id as id,
    case when l.conversation_id is null then 'l' || l.id else 'c' || l.conversation_id end as key,
    l.agent_id,
    a.name as agent_name,
    a.kind as agent_kind,
    coalesce(c.status, 'active') as status,
    'intervention' as lane,
    l.metadata ->> 'reason' as reason,
    l.metadata - 'needs_intervention' - 'reason' - 'priority' - 'detected_at' as evidence,
    case when l.metadata ->> 'priority' = 'high' then 'high' else coalesce(c.priority, 'normal') end as priority,
    l.created_at as since,
    coalesce(left(l.message, 160),
      (select left(m.content, 160) from public.support_messages m
        where m.conversation_id = l.conversation_id and m.sender_type = 'user' order by m.id desc limit 1)) as preview,
    coalesce(c.metadata -> 'customer' ->> 'name', l.user_id, c.user_id) as customer,
    c.assigned_admin_id,
    (select o.name from public.operators o where o.id = c.assigned_admin_id) as assigned_name,
    c.assigned_at,
    c.resolved_at,
    c.resolution_type,
    l.created_at as changed_at
  from public.conversation_logs l
  left join public.support_conversations c on c.id = l.conversation_id
  left join public.agents a on a.id = l.agent_id
  where l.metadata -> 'needs_intervention' = 'true'::jsonb
    and l.created_at > now() - interval '1 day'
    and (c.id is null or c.status not in ('resolved', 'abandoned'))
  order by coalesce(l.conversation_id::text, 'log' || l.id), l.created_at desc
) i;
grant select on public.desk_intervention_items to authenticated, service_role;

/** The bots the caller may see (the rule of the conversations_read policy), or not_operator. */
create or replace function public.desk_visible_agents() returns setof bigint
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  if public.desk_current_operator() is null then raise exception 'not_operator: no operator profile for this user'; end if;
  return query select a.id from public.agents a where public.desk_can_see_agent(a.id);
end $$;
revoke execute on function public.desk_visible_agents() from public, anon;
grant execute on function public.desk_visible_agents() to authenticated;

/** One queue tab: waiting | mine | interventions | deferred | resolved (today), in the order an operator works it. */
create or replace function public.desk_queue(p_tab text, p_limit int default 5000)
returns setof public.desk_queue_items
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  visible bigint[] := array(select public.desk_visible_agents());
begin
  if p_limit is null or p_limit < 1 or p_limit > 10000 then raise exception 'invalid_input: p_limit must be 1..10000'; end if;
  if p_tab = 'waiting' or p_tab = 'deferred' then
    return query select * from public.desk_queue_items q where q.lane = p_tab and q.agent_id = any(visible)
      order by (q.priority = 'high') desc, q.since, q.id limit p_limit;
  elsif p_tab = 'mine' then
    return query select * from public.desk_queue_items q
      where q.assigned_admin_id = auth.uid() and q.status in ('escalated', 'human_handling') and q.agent_id = any(visible)
      order by q.assigned_at, q.id limit p_limit;
  elsif p_tab = 'resolved' then
    return query select * from public.desk_queue_items q
      where q.status = 'resolved' and q.resolved_at >= date_trunc('day', now()) and q.agent_id = any(visible)
      order by q.resolved_at desc, q.id desc limit p_limit;
  elsif p_tab = 'interventions' then
    return query select * from public.desk_intervention_items i where i.agent_id is null or i.agent_id = any(visible)
      order by (i.priority = 'high') desc, i.since desc limit p_limit;
  else
    raise exception 'invalid_input: unknown queue tab %', p_tab;
  end if;
end $$;
revoke execute on function public.desk_queue(text, int) from public, anon;
grant execute on function public.desk_queue(text, int) to authenticated;

/** The counters of every tab at once (the header and the tray badge). */
create or replace function public.desk_queue_counts()
returns table (waiting int, mine int, interventions int, deferred int, resolved int)
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  visible bigint[] := array(select public.desk_visible_agents());
begin
  return query select
    count(*) filter (where c.status = 'escalated' and c.assigned_admin_id is null and coalesce(c.metadata ->> 'mode', '') <> 'deferred')::int,
    count(*) filter (where c.assigned_admin_id = auth.uid() and c.status in ('escalated', 'human_handling'))::int,
    (select count(*)::int from public.desk_intervention_items i where i.agent_id is null or i.agent_id = any(visible)),
    count(*) filter (where c.status = 'escalated' and c.assigned_admin_id is null and c.metadata ->> 'mode' = 'deferred')::int,
    count(*) filter (where c.status = 'resolved' and c.resolved_at >= date_trunc('day', now()))::int
  from public.support_conversations c
  where c.agent_id = any(visible) and c.status in ('escalated', 'human_handling', 'resolved');
end $$;
revoke execute on function public.desk_queue_counts() from public, anon;
grant execute on function public.desk_queue_counts() to authenticated;

/**
 * The queue rows of a few conversations (p_ids: a JSON array of ids, as every
 * adapter sends arrays), for patching a list in place when the
 * feed says they changed (instead of reading a whole tab again). p_message_ids
 * adds the conversations of those messages (a new customer message changes the
 * preview). tabs = the tabs the row belongs to for the caller (waiting,
 * deferred, mine, resolved); a conversation asked for and not returned is gone
 * or not visible to the caller, and leaves every list. Same visibility rule as
 * desk_queue.
 */
create or replace function public.desk_queue_rows(p_ids jsonb, p_message_ids jsonb default '[]')
returns table (id bigint, key text, agent_id bigint, agent_name text, agent_kind text, status text, reason text,
               evidence jsonb, priority text, since timestamptz, preview text, customer text, assigned_admin_id uuid,
               assigned_name text, assigned_at timestamptz, resolved_at timestamptz, resolution_type text, tabs text[])
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  visible bigint[] := array(select public.desk_visible_agents());
  me uuid := auth.uid();
  ids bigint[];
  message_ids bigint[];
begin
  if jsonb_typeof(coalesce(p_ids, '[]')) <> 'array' or jsonb_typeof(coalesce(p_message_ids, '[]')) <> 'array' then
    raise exception 'invalid_input: ids must be JSON arrays';
  end if;
  ids := array(select e::bigint from jsonb_array_elements_text(coalesce(p_ids, '[]')) e);
  message_ids := array(select e::bigint from jsonb_array_elements_text(coalesce(p_message_ids, '[]')) e);
  if cardinality(ids) + cardinality(message_ids) > 2000 then
    raise exception 'invalid_input: at most 2000 ids at once';
  end if;
  return query
    select q.id, q.key, q.agent_id, q.agent_name, q.agent_kind, q.status, q.reason, q.evidence, q.priority, q.since,
      q.preview, q.customer, q.assigned_admin_id, q.assigned_name, q.assigned_at, q.resolved_at, q.resolution_type,
      array_remove(array[
        case when q.lane in ('waiting', 'deferred') then q.lane end,
        case when q.assigned_admin_id = me and q.status in ('escalated', 'human_handling') then 'mine' end,
        case when q.status = 'resolved' and q.resolved_at >= date_trunc('day', now()) then 'resolved' end], null)
    from public.desk_queue_items q
    where q.agent_id = any(visible)
      and q.id in (select unnest(ids) union select m.conversation_id from public.support_messages m where m.id = any(message_ids));
end $$;
revoke execute on function public.desk_queue_rows(jsonb, jsonb) from public, anon;
grant execute on function public.desk_queue_rows(jsonb, jsonb) to authenticated;

/**
 * Conversations the caller may see that changed after p_since, oldest change
 * first: the core's alert routing decides which deserve an alert (and drops
 * alerts for conversations a colleague took). p_since null = nothing, only the
 * database's clock, so a host starts from "now" as the database sees it.
 */
create or replace function public.desk_alert_candidates(p_since timestamptz, p_limit int default 500)
returns table (id bigint, lane text, status text, assigned_admin_id uuid, priority text,
               agent_name text, preview text, reason text, changed_at timestamptz, db_now timestamptz)
language sql stable security definer set search_path = public, pg_temp as $$
  select q.id, q.lane, q.status, q.assigned_admin_id, q.priority, q.agent_name, q.preview, q.reason, q.changed_at, now()
  from public.desk_queue_items q
  where p_since is not null and q.changed_at > p_since and q.agent_id in (select public.desk_visible_agents())
  union all
  select null, null, null, null, null, null, null, null, null, now() where p_since is null
  order by changed_at nulls first
  limit least(greatest(p_limit, 1), 1000)
$$;
revoke execute on function public.desk_alert_candidates(timestamptz, int) from public, anon;
grant execute on function public.desk_alert_candidates(timestamptz, int) to authenticated;

/** The caller's presence row (the header's presence and capacity). */
create or replace function public.desk_my_presence()
returns table (status text, current_conversations int, max_conversations int, last_seen_at timestamptz)
language sql stable security invoker set search_path = public, pg_temp as $$
  select a.status, a.current_conversations, a.max_conversations, a.last_seen_at
  from public.admin_availability a where a.admin_id = auth.uid()
$$;
grant execute on function public.desk_my_presence() to authenticated;

/**
 * One conversation as the console shows it: the row with its bot and
 * assignee, the whole history, the intervention logs, the order checklist and
 * the customer. not_found when it does not exist or the caller may not see it.
 */
create or replace function public.desk_conversation(p_id bigint)
returns jsonb
language plpgsql stable security invoker set search_path = public, pg_temp as $$
declare
  c public.support_conversations;
  result jsonb;
begin
  select * into c from public.support_conversations where id = p_id;
  if c.id is null then raise exception 'not_found: conversation %', p_id; end if;
  select jsonb_build_object(
    'conversation', to_jsonb(c) || jsonb_build_object(
      'agent_name', a.name, 'agent_kind', a.kind, 'escalation_threshold', a.escalation_threshold,
      'assigned_name', (select o.name from public.operators o where o.id = c.assigned_admin_id),
      'evidence', coalesce(c.metadata -> 'evidence', c.metadata -> 'escalation' -> 'evidence')),
    'messages', coalesce((
      select jsonb_agg(to_jsonb(m) || jsonb_build_object('admin_name', o.name) order by m.created_at, m.id)
      from public.support_messages m left join public.operators o on o.id = m.admin_id
      where m.conversation_id = c.id), '[]'::jsonb),
    'interventions', coalesce((
      select jsonb_agg(jsonb_build_object('id', l.id, 'message', l.message, 'metadata', l.metadata, 'created_at', l.created_at)
        order by l.created_at desc, l.id desc)
      from public.conversation_logs l
      where l.conversation_id = c.id and l.metadata -> 'needs_intervention' = 'true'::jsonb), '[]'::jsonb),
    'order', c.metadata -> 'order',
    'customer', jsonb_strip_nulls(jsonb_build_object('user_id', c.user_id, 'session_id', c.session_id)
      || coalesce(c.metadata -> 'customer', '{}'::jsonb)))
  into result
  from public.agents a where a.id = c.agent_id;
  return result;
end $$;
grant execute on function public.desk_conversation(bigint) to authenticated;

/** Reply templates for a bot, the global ones (agent_id null) included. */
create or replace function public.desk_reply_templates(p_agent_id bigint)
returns table (id bigint, title text, content text, shortcut text, language text)
language sql stable security invoker set search_path = public, pg_temp as $$
  select t.id, t.title, t.content, t.shortcut, t.language from public.reply_templates t
  where t.agent_id is null or t.agent_id = p_agent_id
  order by t.title, t.id
$$;
grant execute on function public.desk_reply_templates(bigint) to authenticated;
