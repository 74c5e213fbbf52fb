-- Wake-ups that carry the event. Besides the seq on 'desk_events' (DESIGN.md
-- §3, kept for anyone listening to it), each append notifies the whole event
-- row as JSON on 'desk_feed'. Notifications arrive in commit order, and
-- commits happen in seq order (the feed lock), so a follower whose cursor is
-- at seq - 1 can take the event from the wake-up itself instead of asking
-- desk_events_since: with 20 desktops following one database that was 20
-- reads per commit. A follower that sees a gap, or cannot tell whether its
-- operator may see the event, still pulls, so nothing can be skipped.
create or replace function public.desk_feed_append() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  r record;
  scope bigint;
  e public.desk_events;
begin
  perform public.desk_feed_lock();
  if tg_op = 'DELETE' then r := old; else r := new; end if;
  if tg_argv[0] = 'agent_id' then scope := r.agent_id;
  elsif tg_argv[0] = 'self' then scope := r.id;
  elsif tg_argv[0] = 'conversation' then
    select c.agent_id into scope from public.support_conversations c where c.id = r.conversation_id;
  end if;
  insert into public.desk_events(kind, entity, id, operator_scope)
  values (lower(tg_op), tg_table_name, r.id::text, scope)
  returning * into e;
  perform pg_notify('desk_events', e.seq::text);
  perform pg_notify('desk_feed', json_build_object('seq', e.seq, 'kind', e.kind, 'entity', e.entity, 'id', e.id,
    'operator_scope', e.operator_scope, 'at', e.at)::text);
  return null;
end $$;

-- Each table says where its bot is (the trigger argument) instead of the
-- trigger turning every changed row into jsonb to find out; PL/pgSQL compiles
-- a trigger function once per table, so r.agent_id is only read where it exists.
do $$
declare t record;
begin
  for t in select * from (values ('agents', 'self'), ('operators', 'none'), ('admin_availability', 'none'),
                                 ('support_conversations', 'agent_id'), ('support_messages', 'conversation'),
                                 ('conversation_logs', 'agent_id'), ('learned_responses', 'agent_id'),
                                 ('reply_templates', 'agent_id')) v(tbl, scope) loop
    execute format('drop trigger if exists desk_feed on public.%I', t.tbl);
    execute format('create trigger desk_feed after insert or update or delete on public.%I
                    for each row execute function public.desk_feed_append(%L)', t.tbl, t.scope);
  end loop;
end $$;

/**
 * What a follower needs to take events straight from wake-ups: whether the
 * caller sees every bot (service role, supervisors, admins, operators with no
 * agent_ids) or which bots, the same rule as desk_events_since, plus the ids
 * of the caller's own operator and availability rows, whose changes may
 * change the answer.
 */
create or replace function public.desk_feed_scope() returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  a public.admin_availability;
begin
  if coalesce(auth.jwt() ->> 'role', '') = 'service_role' then
    return jsonb_build_object('sees_all', true, 'agent_ids', null, 'operator_id', null, 'availability_id', null);
  end if;
  me := public.desk_require_operator();
  select * into a from public.admin_availability where admin_id = me.id;
  return jsonb_build_object('sees_all', me.role in ('supervisor', 'admin') or a.agent_ids is null,
    'agent_ids', a.agent_ids, 'operator_id', me.id, 'availability_id', a.id);
end $$;
revoke execute on function public.desk_feed_scope() from public, anon;
grant execute on function public.desk_feed_scope() to authenticated, service_role;
