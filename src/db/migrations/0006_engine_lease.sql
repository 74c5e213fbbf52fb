-- One engine leader among many desktops (DESIGN.md §3): a lease row with a
-- fencing token. It works over PostgREST too (no session advisory locks).
-- Every engine write function starts with
--   perform public.desk_feed_lock(); perform public.engine_check_lease(name, token);
-- check_lease holds the lease row FOR SHARE until commit, so a new leader's
-- acquire waits for the old leader's last write instead of overlapping it.
-- Acquire and release take the feed lock first too: then no transaction ever
-- holds the lease row while waiting for the feed lock, whatever triggers the
-- lease table gets later, and renewals need no coordination with engine writes.

/** The fencing token of a fresh or renewed lease, or null while someone else holds it. */
create or replace function public.engine_acquire_lease(p_name text, p_holder text, p_ttl_seconds int)
returns bigint
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare l public.engine_leases;
begin
  if coalesce(btrim(p_name), '') = '' or coalesce(btrim(p_holder), '') = '' then
    raise exception 'invalid_input: lease name and holder are required';
  end if;
  if p_ttl_seconds is null or p_ttl_seconds < 1 or p_ttl_seconds > 3600 then
    raise exception 'invalid_input: ttl must be 1..3600 seconds';
  end if;
  if coalesce(auth.jwt() ->> 'role', '') <> 'service_role' and not public.desk_is_operator() then
    raise exception 'not_operator: only operators and the service role run the engine';
  end if;
  perform public.desk_feed_lock();
  insert into public.engine_leases(name) values (p_name) on conflict (name) do nothing;
  select * into l from public.engine_leases where name = p_name for update;
  if l.holder = p_holder and l.expires_at > now() then
    update public.engine_leases set expires_at = now() + make_interval(secs => p_ttl_seconds)
     where name = p_name;
    return l.token;
  end if;
  if l.expires_at > now() then return null; end if;
  update public.engine_leases
     set holder = p_holder, token = token + 1, acquired_at = now(),
         expires_at = now() + make_interval(secs => p_ttl_seconds)
   where name = p_name
  returning token into l.token;
  return l.token;
end $$;
revoke execute on function public.engine_acquire_lease(text, text, int) from public, anon;
grant execute on function public.engine_acquire_lease(text, text, int) to authenticated, service_role;

/** lease_lost unless p_token is the current, unexpired token of p_name. */
create or replace function public.engine_check_lease(p_name text, p_token bigint) returns void
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare l public.engine_leases;
begin
  select * into l from public.engine_leases where name = p_name for share;
  if l.name is null or p_token is null or l.token <> p_token or l.expires_at <= now() then
    raise exception 'lease_lost: the % lease is held by another engine or has expired', p_name;
  end if;
end $$;
revoke execute on function public.engine_check_lease(text, bigint) from public, anon;
grant execute on function public.engine_check_lease(text, bigint) to authenticated, service_role;

/** Gives the lease up at shutdown so another engine takes over at once. */
create or replace function public.engine_release_lease(p_name text, p_token bigint) returns void
language plpgsql volatile security definer set search_path = public, pg_temp as $$
begin
  perform public.desk_feed_lock();
  update public.engine_leases set expires_at = now(), holder = null where name = p_name and token = p_token;
end $$;
revoke execute on function public.engine_release_lease(text, bigint) from public, anon;
grant execute on function public.engine_release_lease(text, bigint) to authenticated, service_role;

/**
 * The presence sweep: an operator not seen for 45 s is marked offline and the
 * conversations they hold go back to the queue (escalated), each with a system
 * message; messages are kept. Returns one row per swept operator.
 */
create or replace function public.engine_sweep_presence(
  p_token bigint, p_now timestamptz default now(), p_lease text default 'engine')
returns table (admin_id uuid, requeued bigint[])
language plpgsql volatile security definer set search_path = public, pg_temp as $$
#variable_conflict use_column
declare
  a record;
  ids bigint[];
begin
  perform public.desk_feed_lock();
  perform public.engine_check_lease(p_lease, p_token);
  for a in
    select av.admin_id, o.name from public.admin_availability av join public.operators o on o.id = av.admin_id
     where av.last_seen_at < p_now - interval '45 seconds'
       and (av.status <> 'offline' or exists (select 1 from public.support_conversations c
              where c.assigned_admin_id = av.admin_id and c.status = 'human_handling'))
     order by av.admin_id
     for update of av
  loop
    update public.admin_availability av set status = 'offline' where av.admin_id = a.admin_id and av.status <> 'offline';
    with back as (
      update public.support_conversations c
         set status = 'escalated', assigned_admin_id = null, assigned_at = null
       where c.assigned_admin_id = a.admin_id and c.status = 'human_handling'
      returning c.id
    ), notes as (
      insert into public.support_messages(conversation_id, sender_type, content, ai_context)
      select r.id, 'system', a.name || ' is offline; the conversation is back in the queue.',
             jsonb_build_object('event', 'operator_offline', 'admin_id', a.admin_id)
        from back r
      returning conversation_id
    )
    select coalesce(array_agg(n.conversation_id order by n.conversation_id), '{}') into ids from notes n;
    admin_id := a.admin_id;
    requeued := ids;
    return next;
  end loop;
end $$;
revoke execute on function public.engine_sweep_presence(bigint, timestamptz, text) from public, anon;
grant execute on function public.engine_sweep_presence(bigint, timestamptz, text) to authenticated, service_role;
