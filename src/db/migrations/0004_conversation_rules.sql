-- Rules every writer of support_conversations obeys, whoever it is (operator
-- functions, the engine, a bot with the service key): the status state
-- machine, and each operator's current_conversations kept equal to the number
-- of conversations they hold in human_handling.

-- The allowed transitions; src/shared/conversation-state.ts holds the same
-- table and a test checks that the two agree.
create or replace function public.desk_status_transition_allowed(p_from text, p_to text) returns boolean
language sql immutable set search_path = public, pg_temp as $$
  select p_from = p_to or (p_from, p_to) in (
    ('active', 'escalated'), ('active', 'human_handling'), ('active', 'resolved'), ('active', 'abandoned'),
    ('escalated', 'human_handling'), ('escalated', 'active'), ('escalated', 'resolved'), ('escalated', 'abandoned'),
    ('human_handling', 'escalated'), ('human_handling', 'active'), ('human_handling', 'resolved'),
    ('human_handling', 'abandoned'),
    -- the user writes again after the end: the conversation reopens with the bot
    ('resolved', 'active'), ('abandoned', 'active')
  )
$$;
grant execute on function public.desk_status_transition_allowed(text, text) to authenticated, service_role;

create or replace function public.desk_check_transition() returns trigger
language plpgsql set search_path = public, pg_temp as $$
begin
  if not public.desk_status_transition_allowed(old.status, new.status) then
    raise exception 'invalid_status: a conversation cannot go from % to %', old.status, new.status
      using errcode = 'check_violation';
  end if;
  return new;
end $$;
drop trigger if exists desk_state_machine on public.support_conversations;
create trigger desk_state_machine before update of status on public.support_conversations
  for each row execute function public.desk_check_transition();

/** Recounts one operator's load from the conversations themselves, so it cannot drift. */
create or replace function public.desk_recount_load(p_admin uuid) returns void
language plpgsql security definer set search_path = public, pg_temp as $$
declare n int;
begin
  select count(*)::int into n from public.support_conversations
    where assigned_admin_id = p_admin and status = 'human_handling';
  insert into public.admin_availability as a (admin_id, current_conversations) values (p_admin, n)
    on conflict (admin_id) do update set current_conversations = excluded.current_conversations
    where a.current_conversations is distinct from excluded.current_conversations;
end $$;
revoke execute on function public.desk_recount_load(uuid) from public, anon, authenticated;

create or replace function public.desk_track_load() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
begin
  -- Writes are serialised by the feed lock, so the recount sees every committed claim.
  perform public.desk_feed_lock();
  if tg_op in ('UPDATE', 'DELETE') and old.assigned_admin_id is not null and old.status = 'human_handling' then
    perform public.desk_recount_load(old.assigned_admin_id);
  end if;
  if tg_op in ('UPDATE', 'INSERT') and new.assigned_admin_id is not null and new.status = 'human_handling'
     and (tg_op = 'INSERT' or new.assigned_admin_id is distinct from old.assigned_admin_id or old.status <> 'human_handling') then
    perform public.desk_recount_load(new.assigned_admin_id);
  end if;
  return null;
end $$;
drop trigger if exists desk_load on public.support_conversations;
create trigger desk_load after insert or delete or update of status, assigned_admin_id on public.support_conversations
  for each row execute function public.desk_track_load();
