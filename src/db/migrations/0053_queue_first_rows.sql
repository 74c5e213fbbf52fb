-- The first rows of Waiting (or Deferred) without building every row first.
-- desk_queue sorted the whole lane of desk_queue_items, whose every row
-- computes its preview (the latest customer message), to return the top 60:
-- with 5,000 waiting, ~15 ms quiet and ~80 ms under load on each console
-- start, now the main cost of its first render. The order is now taken from
-- an index over the waiting conversations themselves, and only the rows
-- returned are built. Same rows, same order, same visibility as 0030.
create index if not exists idx_support_conv_waiting_order
  on public.support_conversations ((priority = 'high') desc, (coalesce(escalated_at, created_at)), id)
  where status = 'escalated' and assigned_admin_id is null;

create or replace function public.desk_queue(p_tab text, p_limit int default 5000)
returns setof public.desk_queue_items
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  visible bigint[] := array(select public.desk_visible_agents());
begin
  if p_limit is null or p_limit < 1 or p_limit > 10000 then raise exception 'invalid_input: p_limit must be 1..10000'; end if;
  if p_tab = 'waiting' or p_tab = 'deferred' then
    return query
      with top as (
        select c.id from public.support_conversations c
         where c.status = 'escalated' and c.assigned_admin_id is null and c.agent_id = any(visible)
           and coalesce(c.metadata ->> 'mode' = 'deferred', false) = (p_tab = 'deferred')
         order by (c.priority = 'high') desc, coalesce(c.escalated_at, c.created_at), c.id
         limit p_limit)
      select q.* from top join public.desk_queue_items q on q.id = top.id
       order by (q.priority = 'high') desc, q.since, q.id;
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
