-- Every write an operator makes (DESIGN.md §3, §8). Each function acts as
-- auth.uid(), checks the caller and its arguments, and raises errors whose
-- message starts with a code word (src/shared/errors.ts maps them). Each
-- takes the feed lock first, then row locks, so no two writers ever wait on
-- each other in opposite orders.

/** A conversation the caller may see, locked for the rest of the transaction, or not_found. */
create or replace function public.desk_conversation_for_update(p_conversation_id bigint)
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare c public.support_conversations;
begin
  if p_conversation_id is null then raise exception 'invalid_input: a conversation id is required'; end if;
  select * into c from public.support_conversations where id = p_conversation_id for update;
  if c.id is null or not public.desk_can_see_agent(c.agent_id) then
    raise exception 'not_found: conversation % does not exist or is not yours to see', p_conversation_id;
  end if;
  return c;
end $$;
revoke execute on function public.desk_conversation_for_update(bigint) from public, anon, authenticated;

/** Presence: the host calls this every 15 s; status, optionally capacity, and "seen now". */
create or replace function public.desk_heartbeat(p_status text, p_max_conversations int default null)
returns public.admin_availability
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  row public.admin_availability;
begin
  perform public.desk_feed_lock();
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
  return row;
end $$;
revoke execute on function public.desk_heartbeat(text, int) from public, anon;
grant execute on function public.desk_heartbeat(text, int) to authenticated;

/**
 * Take-over, race-free and capacity-safe: lock the caller's availability row,
 * check its load, then one conditional UPDATE. No row back = someone else won.
 */
create or replace function public.desk_claim(p_conversation_id bigint)
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  avail public.admin_availability;
  c public.support_conversations;
begin
  perform public.desk_feed_lock();
  me := public.desk_require_operator();
  if p_conversation_id is null then raise exception 'invalid_input: a conversation id is required'; end if;
  select * into c from public.support_conversations where id = p_conversation_id;
  if c.id is null or not public.desk_can_see_agent(c.agent_id) then
    raise exception 'not_found: conversation % does not exist or is not yours to see', p_conversation_id;
  end if;
  if c.status in ('resolved', 'abandoned') then
    raise exception 'invalid_status: conversation % is %', p_conversation_id, c.status;
  end if;

  insert into public.admin_availability(admin_id) values (me.id) on conflict (admin_id) do nothing;
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
revoke execute on function public.desk_claim(bigint) from public, anon;
grant execute on function public.desk_claim(bigint) to authenticated;

/** Gives a held conversation back to the queue (supervisors and admins may release anyone's). */
create or replace function public.desk_release(p_conversation_id bigint)
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  c public.support_conversations;
begin
  perform public.desk_feed_lock();
  me := public.desk_require_operator();
  c := public.desk_conversation_for_update(p_conversation_id);
  if c.status <> 'human_handling' then
    raise exception 'invalid_status: conversation % is %, not in human handling', p_conversation_id, c.status;
  end if;
  if c.assigned_admin_id <> me.id and me.role not in ('supervisor', 'admin') then
    raise exception 'not_allowed: conversation % is held by another operator', p_conversation_id;
  end if;
  update public.support_conversations
     set status = 'escalated', assigned_admin_id = null, assigned_at = null
   where id = p_conversation_id
  returning * into c;
  return c;
end $$;
revoke execute on function public.desk_release(bigint) from public, anon;
grant execute on function public.desk_release(bigint) to authenticated;

/** An operator's reply; idempotent on p_client_msg_id so an outbox may replay it. */
create or replace function public.desk_reply(p_conversation_id bigint, p_client_msg_id uuid, p_content text)
returns public.support_messages
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  c public.support_conversations;
  m public.support_messages;
begin
  perform public.desk_feed_lock();
  me := public.desk_require_operator();
  if p_client_msg_id is null then raise exception 'invalid_input: client_msg_id is required'; end if;
  -- A replay returns what was stored, even if the conversation has moved on since.
  select * into m from public.support_messages where client_msg_id = p_client_msg_id;
  if m.id is not null then
    if m.conversation_id <> p_conversation_id or m.admin_id is distinct from me.id then
      raise exception 'invalid_input: client_msg_id % was already used for another message', p_client_msg_id;
    end if;
    return m;
  end if;
  if p_content is null or length(btrim(p_content)) = 0 then
    raise exception 'invalid_input: the reply is empty';
  end if;
  if length(p_content) > 10000 then
    raise exception 'invalid_input: the reply is longer than 10000 characters';
  end if;
  c := public.desk_conversation_for_update(p_conversation_id);
  if c.status <> 'human_handling' or c.assigned_admin_id <> me.id then
    raise exception 'not_allowed: you do not hold conversation %', p_conversation_id;
  end if;
  insert into public.support_messages(conversation_id, sender_type, admin_id, content, client_msg_id)
  values (p_conversation_id, 'admin', me.id, p_content, p_client_msg_id)
  returning * into m;
  return m;
end $$;
revoke execute on function public.desk_reply(bigint, uuid, text) from public, anon;
grant execute on function public.desk_reply(bigint, uuid, text) to authenticated;

/**
 * Closes a held conversation (supervisors and admins may close any open one).
 * A learned answer becomes a pending learned_responses row for review; the
 * question defaults to the user's last message.
 */
create or replace function public.desk_resolve(
  p_conversation_id bigint, p_resolution_type text, p_notes text default null,
  p_learned_question text default null, p_learned_answer text default null)
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  c public.support_conversations;
  question text := nullif(btrim(p_learned_question), '');
  answer text := nullif(btrim(p_learned_answer), '');
begin
  perform public.desk_feed_lock();
  me := public.desk_require_operator();
  if p_resolution_type is null or p_resolution_type not in ('answered', 'redirected', 'out_of_scope', 'duplicate') then
    raise exception 'invalid_input: resolution type must be answered, redirected, out_of_scope or duplicate';
  end if;
  if length(p_notes) > 10000 or length(p_learned_question) > 10000 or length(p_learned_answer) > 10000 then
    raise exception 'invalid_input: text longer than 10000 characters';
  end if;
  c := public.desk_conversation_for_update(p_conversation_id);
  if c.status in ('resolved', 'abandoned') then
    raise exception 'invalid_status: conversation % is already %', p_conversation_id, c.status;
  end if;
  if me.role not in ('supervisor', 'admin') and (c.status <> 'human_handling' or c.assigned_admin_id <> me.id) then
    raise exception 'not_allowed: you do not hold conversation %', p_conversation_id;
  end if;
  if answer is not null and question is null then
    select m.content into question from public.support_messages m
     where m.conversation_id = c.id and m.sender_type = 'user' order by m.id desc limit 1;
    if question is null then raise exception 'invalid_input: a learned answer needs its question'; end if;
  end if;
  update public.support_conversations
     set status = 'resolved', resolved_at = now(), resolution_type = p_resolution_type,
         resolution_notes = p_notes,
         assigned_admin_id = coalesce(assigned_admin_id, me.id),
         training_status = case when answer is null then 'rejected' else 'pending' end
   where id = c.id
  returning * into c;
  if answer is not null then
    insert into public.learned_responses(agent_id, question, answer, source, support_conversation_id, status, created_by)
    values (c.agent_id, question, answer, 'human_support', c.id, 'pending', me.id);
  end if;
  return c;
end $$;
revoke execute on function public.desk_resolve(bigint, text, text, text, text) from public, anon;
grant execute on function public.desk_resolve(bigint, text, text, text, text) to authenticated;

/** Seed 003's human mode: the holder (or a supervisor/admin) turns the bot off or back on. */
create or replace function public.desk_set_bot_enabled(p_conversation_id bigint, p_enabled boolean)
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  c public.support_conversations;
begin
  perform public.desk_feed_lock();
  me := public.desk_require_operator();
  if p_enabled is null then raise exception 'invalid_input: enabled must be true or false'; end if;
  c := public.desk_conversation_for_update(p_conversation_id);
  if me.role not in ('supervisor', 'admin') and (c.status <> 'human_handling' or c.assigned_admin_id <> me.id) then
    raise exception 'not_allowed: you do not hold conversation %', p_conversation_id;
  end if;
  update public.support_conversations set bot_enabled = p_enabled where id = c.id returning * into c;
  return c;
end $$;
revoke execute on function public.desk_set_bot_enabled(bigint, boolean) from public, anon;
grant execute on function public.desk_set_bot_enabled(bigint, boolean) to authenticated;

/** The training view (seed 001 §7): a supervisor or admin edits, then approves or rejects. */
create or replace function public.desk_review_learned_response(
  p_id bigint, p_decision text, p_question text default null, p_answer text default null)
returns public.learned_responses
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  lr public.learned_responses;
begin
  perform public.desk_feed_lock();
  me := public.desk_require_operator();
  if me.role not in ('supervisor', 'admin') then
    raise exception 'not_allowed: only supervisors and admins review learned responses';
  end if;
  if p_decision is null or p_decision not in ('approve', 'reject') then
    raise exception 'invalid_input: decision must be approve or reject';
  end if;
  if (p_question is not null and (length(btrim(p_question)) = 0 or length(p_question) > 10000))
     or (p_answer is not null and (length(btrim(p_answer)) = 0 or length(p_answer) > 10000)) then
    raise exception 'invalid_input: question and answer must be 1 to 10000 characters';
  end if;
  select * into lr from public.learned_responses where id = p_id for update;
  if lr.id is null then raise exception 'not_found: learned response % does not exist', p_id; end if;
  if lr.status <> 'pending' then
    raise exception 'invalid_status: learned response % was already %', p_id, lr.status;
  end if;
  update public.learned_responses
     set question = coalesce(p_question, question), answer = coalesce(p_answer, answer),
         status = case p_decision when 'approve' then 'approved' else 'rejected' end,
         reviewed_by = me.id, reviewed_at = now()
   where id = p_id
  returning * into lr;
  if lr.support_conversation_id is not null then
    update public.support_conversations
       set training_status = case p_decision when 'approve' then 'indexed' else 'rejected' end,
           learned_response_id = case p_decision when 'approve' then lr.id else learned_response_id end
     where id = lr.support_conversation_id;
  end if;
  return lr;
end $$;
revoke execute on function public.desk_review_learned_response(bigint, text, text, text) from public, anon;
grant execute on function public.desk_review_learned_response(bigint, text, text, text) to authenticated;

/**
 * Presence as the engine and the console should read it: a row not seen for
 * 45 s is offline whatever it last said. p_now makes it testable.
 */
create or replace function public.desk_presence(p_now timestamptz default now())
returns table (admin_id uuid, status text, stored_status text, current_conversations int,
               max_conversations int, agent_ids jsonb, last_seen_at timestamptz, stale boolean)
language sql stable security definer set search_path = public, pg_temp as $$
  select a.admin_id,
         case when a.last_seen_at < p_now - interval '45 seconds' then 'offline' else a.status end,
         a.status, a.current_conversations, a.max_conversations, a.agent_ids, a.last_seen_at,
         a.last_seen_at < p_now - interval '45 seconds'
  from public.admin_availability a
  where coalesce(auth.jwt() ->> 'role', '') = 'service_role' or public.desk_is_operator()
  order by a.admin_id
$$;
revoke execute on function public.desk_presence(timestamptz) from public, anon;
grant execute on function public.desk_presence(timestamptz) to authenticated, service_role;
