-- Reads that fill a desktop's offline cache (issue 6). SECURITY INVOKER: row
-- level security decides what an operator may copy, exactly as for a direct
-- select. Ids come as a jsonb array because every adapter passes JSON.

/** The conversations with these ids that the caller may see (the rest are gone or hidden: the cache drops them). */
create or replace function public.desk_cache_conversations(p_ids jsonb)
returns setof public.support_conversations
language sql stable security invoker set search_path = public, pg_temp as $$
  select c.* from public.support_conversations c
  where c.id in (select jsonb_array_elements_text(p_ids)::bigint)
$$;
grant execute on function public.desk_cache_conversations(jsonb) to authenticated, service_role;

/** The messages with these ids that the caller may see. */
create or replace function public.desk_cache_messages(p_ids jsonb)
returns table (id bigint, conversation_id bigint, sender_type text, admin_id uuid, content text,
               created_at timestamptz, client_msg_id uuid)
language sql stable security invoker set search_path = public, pg_temp as $$
  select m.id, m.conversation_id, m.sender_type, m.admin_id, m.content, m.created_at, m.client_msg_id
  from public.support_messages m
  where m.id in (select jsonb_array_elements_text(p_ids)::bigint)
$$;
grant execute on function public.desk_cache_messages(jsonb) to authenticated, service_role;

/**
 * First fill, page by page (keyset on id): the open conversations and those
 * that moved since p_since. SECURITY DEFINER for speed only: row level
 * security would call desk_can_see_agent once per row (200k times for a
 * month of messages); these apply the very same rule once per bot instead.
 */
create or replace function public.desk_cache_bootstrap_conversations(p_since timestamptz, p_after_id bigint, p_limit int)
returns setof public.support_conversations
language sql stable security definer set search_path = public, pg_temp as $$
  with visible as materialized (select a.id from public.agents a where public.desk_can_see_agent(a.id))
  select c.* from public.support_conversations c
  where c.id > p_after_id
    and c.agent_id in (select id from visible)
    and (c.status in ('escalated', 'human_handling') or c.updated_at >= p_since)
  order by c.id
  limit least(greatest(p_limit, 1), 5000)
$$;
revoke execute on function public.desk_cache_bootstrap_conversations(timestamptz, bigint, int) from public, anon;
grant execute on function public.desk_cache_bootstrap_conversations(timestamptz, bigint, int) to authenticated;

/** First fill of messages: those written since p_since in the conversations the first fill takes. */
create or replace function public.desk_cache_bootstrap_messages(p_since timestamptz, p_after_id bigint, p_limit int)
returns table (id bigint, conversation_id bigint, sender_type text, admin_id uuid, content text,
               created_at timestamptz, client_msg_id uuid)
language sql stable security definer set search_path = public, pg_temp as $$
  with visible as materialized (select a.id from public.agents a where public.desk_can_see_agent(a.id))
  select m.id, m.conversation_id, m.sender_type, m.admin_id, m.content, m.created_at, m.client_msg_id
  from public.support_messages m
  join public.support_conversations c on c.id = m.conversation_id
  where m.id > p_after_id and m.created_at >= p_since
    and c.agent_id in (select id from visible)
    and (c.status in ('escalated', 'human_handling') or c.updated_at >= p_since)
  order by m.id
  limit least(greatest(p_limit, 1), 5000)
$$;
revoke execute on function public.desk_cache_bootstrap_messages(timestamptz, bigint, int) from public, anon;
grant execute on function public.desk_cache_bootstrap_messages(timestamptz, bigint, int) to authenticated;

/**
 * An outbox's replies in one round trip and one commit, in array order, each
 * through desk_reply (so each is checked and idempotent on its client_msg_id).
 * All or nothing: a refused item fails the batch and the caller sends them
 * one by one to learn which.
 */
create or replace function public.desk_reply_batch(p_items jsonb)
returns setof public.support_messages
language plpgsql volatile security invoker set search_path = public, pg_temp as $$
declare
  it record;
  m public.support_messages;
begin
  perform public.desk_feed_lock();
  if p_items is null or jsonb_typeof(p_items) <> 'array' or jsonb_array_length(p_items) > 500 then
    raise exception 'invalid_input: p_items must be an array of at most 500 replies';
  end if;
  for it in select value as v from jsonb_array_elements(p_items) with ordinality order by ordinality loop
    m := public.desk_reply((it.v ->> 'conversation_id')::bigint, (it.v ->> 'client_msg_id')::uuid, it.v ->> 'content');
    return next m;
  end loop;
end $$;
revoke execute on function public.desk_reply_batch(jsonb) from public, anon;
grant execute on function public.desk_reply_batch(jsonb) to authenticated;
