-- Two costs the console paid on every open and every queue patch, both per
-- row of a 5,000-conversation queue.
--
-- desk_queue_counts compared each conversation's assignee with auth.uid(),
-- a function PostgreSQL calls again for every row it filters (it parses the
-- request's JWT claims each time): ~20 of its ~24 ms with 5,000 waiting. It
-- is read once now. Same counts, same visibility as 0030.
create or replace function public.desk_queue_counts()
returns table (waiting int, mine int, interventions int, deferred int, resolved int)
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  visible bigint[] := array(select public.desk_visible_agents());
  me uuid := auth.uid();
begin
  return query select
    count(*) filter (where c.status = 'escalated' and c.assigned_admin_id is null and coalesce(c.metadata ->> 'mode', '') <> 'deferred')::int,
    count(*) filter (where c.assigned_admin_id = me and c.status in ('escalated', 'human_handling'))::int,
    (select count(*)::int from public.desk_intervention_items i where i.agent_id is null or i.agent_id = any(visible)),
    count(*) filter (where c.status = 'escalated' and c.assigned_admin_id is null and c.metadata ->> 'mode' = 'deferred')::int,
    count(*) filter (where c.status = 'resolved' and c.resolved_at >= date_trunc('day', now()))::int
  from public.support_conversations c
  where c.agent_id = any(visible) and c.status in ('escalated', 'human_handling', 'resolved');
end $$;

-- Each queue row's preview is its latest customer message. With only the
-- indexes on conversation_id and on sender_type, a planner without fresh
-- statistics (a bot that has just written thousands of rows) intersected
-- both, reading every customer message's entry once per row: ~10 of the
-- first page's ~17 ms. This index answers the preview with one entry.
create index if not exists idx_support_msg_customer_latest
  on public.support_messages(conversation_id, id desc) where sender_type = 'user';
