-- The escalation engine's SQL (DESIGN.md §4) and the bot API. Every engine
-- write takes the feed lock first, then checks its fencing token, and is
-- idempotent: replaying an event finds the conversation no longer active, or
-- the intent already logged, and changes nothing.

-- Per-bot engine settings; null = the seeds' defaults (0.7, 25 turns, 30 min, 3 turns).
alter table public.agents add column if not exists intent_threshold real check (intent_threshold between 0 and 1);
alter table public.agents add column if not exists max_turns int check (max_turns > 0);
alter table public.agents add column if not exists stuck_order_minutes int check (stuck_order_minutes > 0);
alter table public.agents add column if not exists no_progress_turns int check (no_progress_turns > 0);

-- One intent decision per message, so a replayed message is not logged twice.
create unique index if not exists idx_intent_log_message on public.intent_analysis_log ((evidence ->> 'message_id'))
  where evidence ? 'message_id';

create or replace function public.engine_require_caller() returns void
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  if coalesce(auth.jwt() ->> 'role', '') <> 'service_role' and not public.desk_is_operator() then
    raise exception 'not_operator: only operators and the service role run the engine';
  end if;
end $$;
revoke execute on function public.engine_require_caller() from public, anon;
grant execute on function public.engine_require_caller() to authenticated, service_role;

/** Operators' presence as the engine's assignment sees it, with when each was last given a conversation. */
create or replace function public.engine_operators() returns jsonb
language sql stable security definer set search_path = public, pg_temp as $$
  select coalesce(jsonb_agg(jsonb_build_object(
    'admin_id', a.admin_id, 'status', a.status, 'current_conversations', a.current_conversations,
    'max_conversations', a.max_conversations, 'agent_ids', a.agent_ids, 'last_seen_at', a.last_seen_at,
    'last_assigned_at', (select max(c.assigned_at) from public.support_conversations c where c.assigned_admin_id = a.admin_id)
  ) order by a.admin_id), '[]'::jsonb)
  from public.admin_availability a
$$;
revoke execute on function public.engine_operators() from public, anon, authenticated;

/**
 * What the decision needs about one conversation besides the clock and the
 * operators: the bot's settings, the conversation, its last 40 messages, and
 * the latest order, bot state and guardian verdict the bot logged since the
 * last resolution (so an old guardian verdict does not outlive its conversation).
 */
create or replace function public.engine_conversation_state(c public.support_conversations) returns jsonb
language sql stable security definer set search_path = public, pg_temp as $$
  select jsonb_build_object(
    'agent', jsonb_build_object('id', a.id, 'kind', a.kind, 'escalation_threshold', a.escalation_threshold,
      'human_support_enabled', a.human_support_enabled, 'support_hours', a.support_hours, 'timezone', a.timezone,
      'intent_threshold', a.intent_threshold, 'max_turns', a.max_turns, 'stuck_order_minutes', a.stuck_order_minutes,
      'no_progress_turns', a.no_progress_turns),
    'conversation', jsonb_build_object('id', c.id, 'status', c.status, 'created_at', c.created_at,
      'assigned_admin_id', c.assigned_admin_id, 'bot_enabled', c.bot_enabled, 'escalation_reason', c.escalation_reason),
    'messages', coalesce((select jsonb_agg(jsonb_strip_nulls(jsonb_build_object('id', m.id, 'sender_type', m.sender_type,
        'content', m.content, 'created_at', m.created_at, 'confidence_score', m.confidence_score, 'ai_context', m.ai_context,
        'feedback_rating', m.feedback_rating)) order by m.id)
      from (select * from public.support_messages where conversation_id = c.id order by id desc limit 40) m), '[]'::jsonb),
    'order', o.metadata -> 'order', 'bot_state', b.metadata -> 'bot_state', 'guardian', g.metadata -> 'guardian',
    -- which log row each came from, so a malformed one is reported by its own id
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
  where a.id = c.agent_id
$$;
revoke execute on function public.engine_conversation_state(public.support_conversations) from public, anon, authenticated;

/**
 * The Decision API snapshot of the conversation a feed event touched (a
 * conversation, a message or a log row), or null when the row is gone or
 * belongs to no conversation. The demo bot reads it; the engine itself reads
 * many at once through engine_snapshots.
 */
create or replace function public.engine_snapshot(p_entity text, p_id text) returns jsonb
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare
  cid bigint;
  c public.support_conversations;
  logrow jsonb;
begin
  perform public.engine_require_caller();
  if p_id !~ '^\d{1,18}$' then return null; end if;
  if p_entity = 'support_conversations' then cid := p_id::bigint;
  elsif p_entity = 'support_messages' then select m.conversation_id into cid from public.support_messages m where m.id = p_id::bigint;
  elsif p_entity = 'conversation_logs' then
    select l.conversation_id, to_jsonb(l) into cid, logrow from public.conversation_logs l where l.id = p_id::bigint;
  else return null;
  end if;
  select * into c from public.support_conversations where id = cid;
  if c.id is null then return null; end if;
  return public.engine_conversation_state(c)
    || jsonb_build_object('now', now(), 'operators', public.engine_operators(), 'log', logrow);
end $$;
revoke execute on function public.engine_snapshot(text, text) from public, anon;
grant execute on function public.engine_snapshot(text, text) to authenticated, service_role;

/**
 * A JSON array of row ids as bigint[]. Ids travel as JSON because every
 * adapter sends JSON the same way (PostgREST included); anything that is not
 * a whole number is dropped.
 */
create or replace function public.engine_id_array(p jsonb) returns bigint[]
language sql immutable set search_path = public, pg_temp as $$
  select coalesce(array_agg(v::bigint), '{}') from jsonb_array_elements_text(
    case when jsonb_typeof(p) = 'array' then p else '[]'::jsonb end) v
   where v ~ '^\d{1,18}$'
$$;
revoke execute on function public.engine_id_array(jsonb) from public, anon;

/**
 * One read for a whole page of feed events: the conversations behind the
 * given conversation, message and log ids, each with its state (as
 * engine_conversation_state), `touched` (named by a conversation or message
 * id, not only by log rows) and `logs` (the given log rows of that
 * conversation, oldest first, so the engine can route bots' own flags);
 * plus `now` and the operators once for all. Rows of no conversation are left out.
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
    select jsonb_agg(public.engine_conversation_state(c)
             || jsonb_build_object('touched', exists (select 1 from named n where n.id = c.id),
                                   'logs', coalesce(lg.logs, '[]'::jsonb)) order by c.id)
      from public.support_conversations c left join logged lg on lg.id = c.id
     where c.id in (select id from named union select id from logged)), '[]'::jsonb));
end $$;
revoke execute on function public.engine_snapshots(jsonb, jsonb, jsonb) from public, anon;
grant execute on function public.engine_snapshots(jsonb, jsonb, jsonb) to authenticated, service_role;

/** Whether an operator may be given a conversation of this bot right now (locks their availability row). */
create or replace function public.engine_operator_eligible(p_admin uuid, p_agent_id bigint) returns boolean
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare av public.admin_availability;
begin
  select * into av from public.admin_availability where admin_id = p_admin for no key update;
  return av.admin_id is not null and av.status = 'online' and av.last_seen_at > now() - interval '45 seconds'
    and av.current_conversations < av.max_conversations
    and (av.agent_ids is null or av.agent_ids @> to_jsonb(p_agent_id));
end $$;
revoke execute on function public.engine_operator_eligible(uuid, bigint) from public, anon, authenticated;

-- The three engine writes below run only inside engine_apply, which holds the
-- feed lock and has checked the token. Rows are locked FOR NO KEY UPDATE: that
-- does not wait for the KEY SHARE a bot's plain INSERT of a message takes on
-- its conversation (foreign key) before its feed trigger waits for the feed lock.

/**
 * Escalates an active conversation: bot off ("human mode"), live to p_assignee
 * when still eligible (re-checked under lock), else a deferred ticket; a
 * system message for the customer and seed 000's conversation_logs row.
 * Returns {changed, mode, assignee}; changed=false when it was not active.
 */
create or replace function public.engine_do_escalate(
  p_conversation_id bigint, p_reason text, p_priority text, p_assignee uuid, p_detected_by text, p_evidence jsonb)
returns jsonb
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  c public.support_conversations;
  a public.agents;
  who uuid := p_assignee;
  mode text;
  detected timestamptz := now();
begin
  if p_reason is null or p_reason not in ('user_request', 'guardian_escalation', 'technical_block', 'stuck_order', 'payment_missing',
                      'negative_feedback', 'low_confidence', 'ai_uncertainty', 'anti_loop', 'manual_takeover') then
    raise exception 'invalid_input: unknown escalation reason %', p_reason;
  end if;
  if p_priority is null or p_priority not in ('high', 'normal') then raise exception 'invalid_input: priority must be high or normal'; end if;
  select * into c from public.support_conversations where id = p_conversation_id for no key update;
  if c.id is null or c.status <> 'active' then
    return jsonb_build_object('changed', false, 'status', c.status);
  end if;
  select * into a from public.agents where id = c.agent_id;
  if who is not null and not public.engine_operator_eligible(who, c.agent_id) then who := null; end if;
  mode := case when who is null then 'deferred' else 'live' end;

  update public.support_conversations
     set status = case when who is null then 'escalated' else 'human_handling' end,
         escalation_reason = p_reason, escalated_at = detected, assigned_admin_id = who,
         assigned_at = case when who is null then null else detected end,
         bot_enabled = false, priority = p_priority,
         metadata = metadata || jsonb_build_object('escalation',
           jsonb_build_object('reason', p_reason, 'mode', mode, 'detected_by', p_detected_by, 'evidence', coalesce(p_evidence, '{}')))
   where id = c.id;

  insert into public.support_messages(conversation_id, sender_type, content, was_escalated, ai_context)
  values (c.id, 'system',
    case when who is null
      then coalesce(a.no_admin_message, 'Notre équipe n''est pas disponible actuellement. Nous avons enregistré votre demande et vous répondrons dès que possible.')
      else coalesce(a.escalation_message, 'Un conseiller va vous répondre dans quelques instants.') end,
    true, jsonb_build_object('event', 'escalated', 'reason', p_reason, 'mode', mode, 'priority', p_priority));

  insert into public.conversation_logs(conversation_id, agent_id, user_id, direction, channel, message, metadata)
  values (c.id, c.agent_id, c.user_id, 'system', case when a.kind = 'order_taking' then 'botlive' else 'support' end,
    '[INTERVENTION_REQUISE] ' || p_reason,
    (coalesce(p_evidence, '{}') - 'routing') || jsonb_build_object(
      'needs_intervention', true, 'priority', p_priority, 'reason', p_reason, 'detected_by', p_detected_by,
      'detected_at', to_char(detected at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'mode', mode,
      'assigned_admin_id', who));
  return jsonb_build_object('changed', true, 'mode', mode, 'assignee', who);
end $$;
revoke execute on function public.engine_do_escalate(bigint, text, text, uuid, text, jsonb) from public, anon, authenticated;

/** A waiting (escalated, unassigned) conversation goes live to p_assignee if both still qualify. */
create or replace function public.engine_do_assign(p_conversation_id bigint, p_assignee uuid) returns jsonb
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  c public.support_conversations;
  who_name text;
begin
  select * into c from public.support_conversations where id = p_conversation_id for no key update;
  if c.id is null or c.status <> 'escalated' or c.assigned_admin_id is not null or p_assignee is null
     or not public.engine_operator_eligible(p_assignee, c.agent_id) then
    return jsonb_build_object('changed', false);
  end if;
  update public.support_conversations
     set status = 'human_handling', assigned_admin_id = p_assignee, assigned_at = now(), bot_enabled = false
   where id = c.id;
  select name into who_name from public.operators where id = p_assignee;
  insert into public.support_messages(conversation_id, sender_type, content, ai_context)
  values (c.id, 'system', coalesce(who_name, 'Un conseiller') || ' a rejoint la conversation.',
          jsonb_build_object('event', 'assigned', 'admin_id', p_assignee));
  return jsonb_build_object('changed', true, 'mode', 'live', 'assignee', p_assignee);
end $$;
revoke execute on function public.engine_do_assign(bigint, uuid) from public, anon, authenticated;

/** Seed 003: one intent decision per message (a replay writes nothing). */
create or replace function public.engine_do_log_intent(p jsonb) returns jsonb
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare n int;
begin
  if coalesce(p ->> 'message_id', '') !~ '^\d{1,18}$' then raise exception 'invalid_input: an intent needs its message id'; end if;
  insert into public.intent_analysis_log(message_text, handover_needed, confidence_score, reason, final_decision, model_used,
                                         agent_id, conversation_id, evidence)
  select p ->> 'message_text', (p ->> 'handover_needed')::boolean, (p ->> 'confidence_score')::real, p ->> 'reason',
         (p ->> 'final_decision')::boolean, p ->> 'model_used', c.agent_id, c.id,
         coalesce(p -> 'evidence', '{}') || jsonb_build_object('message_id', p ->> 'message_id')
    from public.support_conversations c where c.id = (p ->> 'conversation_id')::bigint
  on conflict ((evidence ->> 'message_id')) where evidence ? 'message_id' do nothing;
  get diagnostics n = row_count;
  return jsonb_build_object('changed', n > 0);
end $$;
revoke execute on function public.engine_do_log_intent(jsonb) from public, anon, authenticated;

/**
 * Every write the engine decided on for a page of feed events, in one
 * transaction (one feed-lock hold, one commit): p_actions is an array of
 *   {"op": "escalate", conversation_id, reason, priority, assignee, detected_by, evidence}
 *   {"op": "assign", conversation_id, assignee}
 *   {"op": "intent", conversation_id, message_id, message_text, handover_needed,
 *    confidence_score, reason, final_decision, model_used, evidence}
 * Returns {results: [one per action, in order], first_seq, last_seq}. An action
 * that fails on its own data gets {"changed": false, "error": message} and the
 * others still apply; a stale token (lease_lost) or a transient failure
 * (deadlock, serialization, connection, cancel) aborts the whole call so the
 * engine retries the page. first_seq..last_seq are the feed events this call
 * appended: the feed lock is held from the first statement to commit, so
 * nobody else appends in between and the range is exactly ours (null when
 * nothing was appended).
 */
create or replace function public.engine_apply(p_token bigint, p_actions jsonb, p_lease text default 'engine') returns jsonb
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  head bigint;
  tail bigint;
  act jsonb;
  r jsonb;
  results jsonb := '[]';
  state text;
begin
  perform public.desk_feed_lock();
  perform public.engine_check_lease(p_lease, p_token);
  if p_actions is null or jsonb_typeof(p_actions) <> 'array' then raise exception 'invalid_input: actions must be an array'; end if;
  -- The sequence, not max(seq): it does not depend on the snapshot, and under the feed lock nobody else draws from it.
  select case when is_called then last_value else 0 end into head from public.desk_events_seq_seq;
  for act in select value from jsonb_array_elements(p_actions) loop
    begin
      r := case act ->> 'op'
        when 'escalate' then public.engine_do_escalate((act ->> 'conversation_id')::bigint, act ->> 'reason', act ->> 'priority',
          (act ->> 'assignee')::uuid, act ->> 'detected_by', act -> 'evidence')
        when 'assign' then public.engine_do_assign((act ->> 'conversation_id')::bigint, (act ->> 'assignee')::uuid)
        when 'intent' then public.engine_do_log_intent(act)
        else jsonb_build_object('changed', false, 'error', 'invalid_input: unknown op ' || coalesce(act ->> 'op', 'null')) end;
    exception when others then
      get stacked diagnostics state = returned_sqlstate;
      if left(state, 2) in ('40', '08', '53', '57', '58', 'XX') then raise; end if;
      r := jsonb_build_object('changed', false, 'error', sqlerrm);
    end;
    results := results || jsonb_build_array(r);
  end loop;
  select case when is_called then last_value else 0 end into tail from public.desk_events_seq_seq;
  return jsonb_build_object('results', results,
    'first_seq', case when tail > head then head + 1 end, 'last_seq', case when tail > head then tail end);
end $$;
revoke execute on function public.engine_apply(bigint, jsonb, text) from public, anon;
grant execute on function public.engine_apply(bigint, jsonb, text) to authenticated, service_role;

/** What the periodic sweep looks at: waiting tickets (high priority, then oldest first) and active orders. */
create or replace function public.engine_sweep_candidates(p_limit int default 500)
returns table (conversation_id bigint, kind text)
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  perform public.engine_require_caller();
  return query
    (select c.id, 'waiting'::text from public.support_conversations c join public.agents a on a.id = c.agent_id
      where c.status = 'escalated' and c.assigned_admin_id is null and a.human_support_enabled
      order by (c.priority = 'high') desc, c.escalated_at limit p_limit)
    union all
    (select c.id, 'order'::text from public.support_conversations c
      where c.status = 'active' and exists (select 1 from public.conversation_logs l where l.conversation_id = c.id and l.metadata ? 'order')
      order by c.updated_at limit p_limit);
end $$;
revoke execute on function public.engine_sweep_candidates(int) from public, anon;
grant execute on function public.engine_sweep_candidates(int) to authenticated, service_role;

-- ---------------------------------------------------------------------------
-- Bot API: what a bot (and the demo bot) calls with the service key.

/** The conversation of this chat session: the open one if any, else a new one. */
create or replace function public.bot_start_conversation(p_agent_id bigint, p_session_id text, p_user_id text default null,
  p_metadata jsonb default '{}')
returns public.support_conversations
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare c public.support_conversations;
begin
  perform public.desk_feed_lock();
  if coalesce(btrim(p_session_id), '') = '' then raise exception 'invalid_input: a session id is required'; end if;
  select * into c from public.support_conversations
   where agent_id = p_agent_id and session_id = p_session_id and status in ('active', 'escalated', 'human_handling')
   order by id desc limit 1;
  if c.id is not null then return c; end if;
  insert into public.support_conversations(agent_id, session_id, user_id, metadata)
  values (p_agent_id, p_session_id, p_user_id, coalesce(p_metadata, '{}'))
  returning * into c;
  return c;
end $$;

/**
 * A user or AI message. In human mode (bot_enabled = false) the bot's own
 * messages are refused with not_allowed, so a bot that checks nothing still
 * cannot talk over the operator.
 */
create or replace function public.bot_post_message(p_conversation_id bigint, p_sender_type text, p_content text,
  p_ai_context jsonb default null, p_confidence_score double precision default null, p_client_msg_id uuid default null)
returns public.support_messages
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  c public.support_conversations;
  m public.support_messages;
begin
  perform public.desk_feed_lock();
  if p_sender_type not in ('user', 'ai') then raise exception 'invalid_input: sender_type must be user or ai'; end if;
  if coalesce(p_content, '') = '' then raise exception 'invalid_input: empty message'; end if;
  if p_client_msg_id is not null then
    select * into m from public.support_messages where client_msg_id = p_client_msg_id;
    if m.id is not null then return m; end if;
  end if;
  select * into c from public.support_conversations where id = p_conversation_id for update;
  if c.id is null then raise exception 'not_found: conversation % does not exist', p_conversation_id; end if;
  if p_sender_type = 'ai' and not c.bot_enabled then
    raise exception 'not_allowed: conversation % is in human mode, the bot is off', p_conversation_id;
  end if;
  if p_sender_type = 'user' and c.status in ('resolved', 'abandoned') then
    update public.support_conversations set status = 'active', bot_enabled = true where id = c.id;
  end if;
  insert into public.support_messages(conversation_id, sender_type, content, ai_context, confidence_score, client_msg_id)
  values (c.id, p_sender_type, p_content, p_ai_context, p_confidence_score, p_client_msg_id)
  returning * into m;
  update public.support_conversations set updated_at = now() where id = c.id;
  return m;
end $$;

/** The customer's rating of an AI answer (-1/0/1 or 1-5 stars). */
create or replace function public.bot_set_feedback(p_message_id bigint, p_rating int, p_comment text default null)
returns public.support_messages
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare m public.support_messages;
begin
  perform public.desk_feed_lock();
  update public.support_messages set feedback_rating = p_rating, feedback_comment = p_comment
   where id = p_message_id and sender_type = 'ai' returning * into m;
  if m.id is null then raise exception 'not_found: AI message % does not exist', p_message_id; end if;
  return m;
end $$;

/**
 * Seed 000's conversation_logs row: the bot's order state ({"order": {...}}),
 * loop counters ({"bot_state": {...}}), guardian verdict ({"guardian": {...}})
 * or its own needs_intervention flag. The engine reads the latest of each.
 */
create or replace function public.bot_log_event(p_conversation_id bigint, p_metadata jsonb, p_message text default null)
returns public.conversation_logs
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  c public.support_conversations;
  l public.conversation_logs;
begin
  perform public.desk_feed_lock();
  select * into c from public.support_conversations where id = p_conversation_id;
  if c.id is null then raise exception 'not_found: conversation % does not exist', p_conversation_id; end if;
  if p_metadata is null or jsonb_typeof(p_metadata) <> 'object' then raise exception 'invalid_input: metadata must be an object'; end if;
  insert into public.conversation_logs(conversation_id, agent_id, user_id, direction, channel, message, metadata)
  values (c.id, c.agent_id, c.user_id, 'system', 'botlive', p_message, p_metadata)
  returning * into l;
  return l;
end $$;

do $$
declare f text;
begin
  foreach f in array array['bot_start_conversation(bigint, text, text, jsonb)',
    'bot_post_message(bigint, text, text, jsonb, double precision, uuid)', 'bot_set_feedback(bigint, int, text)',
    'bot_log_event(bigint, jsonb, text)'] loop
    execute format('revoke execute on function public.%s from public, anon, authenticated', f);
    execute format('grant execute on function public.%s to service_role', f);
  end loop;
end $$;
