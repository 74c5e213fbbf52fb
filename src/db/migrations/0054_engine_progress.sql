-- Where the engine leader got to, kept on the lease row, so that the next
-- leader resumes there instead of replaying the feed's whole recent window
-- (24 h) before it can handle a new escalation: after a leader's desktop
-- closes, a customer escalating then waited behind that replay. What is
-- recorded is only ever a seq whose events were fully handled; a leader that
-- dies leaves its last note (at most one renewal old), and the events after
-- it are replayed, which changes nothing.
alter table public.engine_leases add column if not exists handled_seq bigint not null default 0;

/** Records that the holder of token p_token has handled the feed up to p_seq; lease_lost for a stale token. */
create or replace function public.engine_note_progress(p_token bigint, p_seq bigint, p_lease text default 'engine')
returns void
language plpgsql volatile security definer set search_path = public, pg_temp as $$
begin
  perform public.engine_require_caller();
  if p_seq is null or p_seq < 0 then raise exception 'invalid_input: p_seq must be >= 0'; end if;
  -- The feed lock first, then the lease row, in the order acquire and every engine write take them
  -- (0006): any other order can deadlock with a renewal racing an engine write.
  perform public.desk_feed_lock();
  update public.engine_leases set handled_seq = greatest(handled_seq, p_seq)
   where name = p_lease and token = p_token and expires_at > now();
  if not found then raise exception 'lease_lost: lease % is no longer held with token %', p_lease, p_token; end if;
end $$;
revoke execute on function public.engine_note_progress(bigint, bigint, text) from public, anon;
grant execute on function public.engine_note_progress(bigint, bigint, text) to authenticated, service_role;

/** The last seq a leader of p_lease recorded as handled (0: none). */
create or replace function public.engine_handled_seq(p_lease text default 'engine') returns bigint
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  perform public.engine_require_caller();
  return coalesce((select handled_seq from public.engine_leases where name = p_lease), 0);
end $$;
revoke execute on function public.engine_handled_seq(text) from public, anon;
grant execute on function public.engine_handled_seq(text) to authenticated, service_role;
