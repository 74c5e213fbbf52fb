-- The training view (seed 001 §7.2) and the reads behind suggestions. Reads
-- are SECURITY INVOKER: they run as the operator, so RLS decides. The one
-- write, merging a near-duplicate, is SECURITY DEFINER and checks the caller.

/** Supervisors and admins review learned responses; everyone else gets not_allowed. */
create or replace function public.desk_require_reviewer() returns public.operators
language plpgsql stable security definer set search_path = public, pg_temp as $$
declare me public.operators;
begin
  me := public.desk_require_operator();
  if me.role not in ('supervisor', 'admin') then
    raise exception 'not_allowed: only supervisors and admins review learned responses';
  end if;
  return me;
end $$;
revoke execute on function public.desk_require_reviewer() from public, anon;
grant execute on function public.desk_require_reviewer() to authenticated;

/**
 * Learned responses as the training view lists them. status: pending,
 * approved (validated, not yet searchable), indexed (approved and searchable
 * by bots), rejected. avoided = questions a bot answered with it since its
 * approval. similar_* = the closest other live response of the same bot, for
 * a pending one (offered as a merge).
 */
create or replace function public.training_items(
  p_status text default null, p_agent_id bigint default null, p_limit int default 100, p_offset int default 0)
returns table (
  id bigint, agent_id bigint, agent_name text, question text, answer text, source text, status text,
  support_conversation_id bigint, created_by_name text, created_at timestamptz,
  reviewed_by_name text, reviewed_at timestamptz, use_count int, last_used_at timestamptz, avoided int,
  similar_id bigint, similar_question text, similar_score real)
language plpgsql stable security invoker set search_path = public, pg_temp as $$
begin
  perform public.desk_require_reviewer();
  if p_status is not null and p_status not in ('pending', 'approved', 'indexed', 'rejected') then
    raise exception 'invalid_input: status must be pending, approved, indexed or rejected';
  end if;
  return query
  with items as (
    select lr.*, a.name as a_name,
      case when lr.status = 'approved' and t.learned_response_id is not null then 'indexed' else lr.status end as view_status,
      t.terms
    from public.learned_responses lr
    join public.agents a on a.id = lr.agent_id
    left join public.learned_response_terms t on t.learned_response_id = lr.id
    where (p_agent_id is null or lr.agent_id = p_agent_id)
  )
  select i.id, i.agent_id, i.a_name, i.question, i.answer, i.source, i.view_status,
    i.support_conversation_id,
    (select o.name from public.operators o where o.id = i.created_by),
    i.created_at,
    (select o.name from public.operators o where o.id = i.reviewed_by),
    i.reviewed_at, i.use_count, i.last_used_at,
    (select count(*)::int from public.learned_response_uses u
      where u.learned_response_id = i.id and i.status = 'approved' and u.used_at >= i.reviewed_at),
    s.id, s.question, s.score
  from items i
  left join lateral (
    select o.learned_response_id as id, olr.question, public.desk_term_overlap(o.terms, i.terms) as score
    from public.learned_response_terms o
    join public.learned_responses olr on olr.id = o.learned_response_id
    where i.view_status = 'pending' and o.agent_id = i.agent_id and o.learned_response_id <> i.id
      and olr.status <> 'rejected' and cardinality(i.terms) > 0
      and o.tsv @@ to_tsquery('simple', array_to_string(i.terms, ' | '))
      and public.desk_term_overlap(o.terms, i.terms) >= 0.6
    order by score desc, (olr.status = 'approved') desc, o.learned_response_id
    limit 1
  ) s on true
  where p_status is null or i.view_status = p_status
  order by (i.view_status = 'pending') desc, coalesce(i.reviewed_at, i.created_at) desc, i.id desc
  limit least(greatest(coalesce(p_limit, 100), 1), 500) offset greatest(coalesce(p_offset, 0), 0);
end $$;
revoke execute on function public.training_items(text, bigint, int, int) from public, anon;
grant execute on function public.training_items(text, bigint, int, int) to authenticated;

/** The counts of seed 001 §7.2 plus the loop's effect: escalations avoided in total. */
create or replace function public.training_counts(p_agent_id bigint default null)
returns table (pending int, approved int, indexed int, rejected int, indexed_this_month int, avoided int)
language plpgsql stable security invoker set search_path = public, pg_temp as $$
begin
  perform public.desk_require_reviewer();
  return query
  select
    count(*) filter (where lr.status = 'pending')::int,
    count(*) filter (where lr.status = 'approved' and t.learned_response_id is null)::int,
    count(*) filter (where lr.status = 'approved' and t.learned_response_id is not null)::int,
    count(*) filter (where lr.status = 'rejected')::int,
    count(*) filter (where lr.status = 'approved' and t.learned_response_id is not null
                     and lr.reviewed_at >= date_trunc('month', now()))::int,
    (select count(*)::int from public.learned_response_uses u
      join public.learned_responses l2 on l2.id = u.learned_response_id
      where l2.status = 'approved' and u.used_at >= l2.reviewed_at
        and (p_agent_id is null or u.agent_id = p_agent_id))
  from public.learned_responses lr
  left join public.learned_response_terms t on t.learned_response_id = lr.id
  where p_agent_id is null or lr.agent_id = p_agent_id;
end $$;
revoke execute on function public.training_counts(bigint) from public, anon;
grant execute on function public.training_counts(bigint) to authenticated;

/** Per bot: approved responses, how many were reused, and the escalations they avoided since approval. */
create or replace function public.training_effect()
returns table (agent_id bigint, agent_name text, approved int, reused int, avoided int)
language plpgsql stable security invoker set search_path = public, pg_temp as $$
begin
  perform public.desk_require_reviewer();
  return query
  select a.id, a.name,
    count(lr.id)::int,
    count(lr.id) filter (where coalesce(u.n, 0) > 0)::int,
    coalesce(sum(u.n), 0)::int
  from public.agents a
  left join public.learned_responses lr on lr.agent_id = a.id and lr.status = 'approved'
  left join lateral (
    select count(*) as n from public.learned_response_uses x
    where x.learned_response_id = lr.id and x.used_at >= lr.reviewed_at
  ) u on true
  group by a.id, a.name
  order by a.name;
end $$;
revoke execute on function public.training_effect() from public, anon;
grant execute on function public.training_effect() to authenticated;

/**
 * Existing live (pending or approved) responses of a bot whose question is a
 * near-duplicate of p_question: offered as a merge at close time and in the
 * training view.
 */
create or replace function public.learned_response_similar(
  p_agent_id bigint, p_question text, p_exclude_id bigint default null, p_min_score real default 0.6)
returns table (id bigint, question text, answer text, status text, score real)
language sql stable security invoker set search_path = public, pg_temp as $$
  select c.id, c.question, c.answer, c.status, c.score
  from public.learned_response_candidates(p_agent_id, p_question, greatest(coalesce(p_min_score, 0.6), 0.2), 10) c
  where c.status <> 'rejected' and c.id is distinct from p_exclude_id
  order by c.score desc, (c.status = 'approved') desc, c.id
  limit 5
$$;
revoke execute on function public.learned_response_similar(bigint, text, bigint, real) from public, anon;
grant execute on function public.learned_response_similar(bigint, text, bigint, real) to authenticated, service_role;

/**
 * Merges a pending learned response into a live one of the same bot: the
 * target optionally takes the reviewer's question/answer, the duplicate is
 * rejected, and its conversation now points at the target.
 */
create or replace function public.learned_response_merge(
  p_id bigint, p_into bigint, p_question text default null, p_answer text default null)
returns public.learned_responses
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare
  me public.operators;
  dup public.learned_responses;
  target public.learned_responses;
begin
  perform public.desk_feed_lock();
  me := public.desk_require_reviewer();
  if p_id is null or p_into is null or p_id = p_into then
    raise exception 'invalid_input: merge needs two different learned responses';
  end if;
  if (p_question is not null and (length(btrim(p_question)) = 0 or length(p_question) > 10000))
     or (p_answer is not null and (length(btrim(p_answer)) = 0 or length(p_answer) > 10000)) then
    raise exception 'invalid_input: question and answer must be 1 to 10000 characters';
  end if;
  -- Lock in id order so two merges of the same pair cannot deadlock.
  perform 1 from public.learned_responses where id in (p_id, p_into) order by id for update;
  select * into dup from public.learned_responses where id = p_id;
  select * into target from public.learned_responses where id = p_into;
  if dup.id is null or target.id is null or not public.desk_can_see_agent(dup.agent_id) then
    raise exception 'not_found: learned response % or % does not exist', p_id, p_into;
  end if;
  if dup.agent_id <> target.agent_id then raise exception 'invalid_input: both responses must belong to the same bot'; end if;
  if dup.status <> 'pending' then raise exception 'invalid_status: learned response % was already %', p_id, dup.status; end if;
  if target.status = 'rejected' then raise exception 'invalid_status: cannot merge into a rejected response'; end if;
  update public.learned_responses
     set question = coalesce(p_question, question), answer = coalesce(p_answer, answer)
   where id = target.id
  returning * into target;
  update public.learned_responses
     set status = 'rejected', reviewed_by = me.id, reviewed_at = now()
   where id = dup.id;
  if dup.support_conversation_id is not null then
    update public.support_conversations
       set learned_response_id = target.id,
           training_status = case when target.status = 'approved' then 'indexed' else 'pending' end
     where id = dup.support_conversation_id;
  end if;
  return target;
end $$;
revoke execute on function public.learned_response_merge(bigint, bigint, text, text) from public, anon;
grant execute on function public.learned_response_merge(bigint, bigint, text, text) to authenticated;

/** One conversation's messages for suggestions (empty when the caller may not see it). */
create or replace function public.suggest_conversation(p_conversation_id bigint)
returns table (agent_id bigint, status text, sender_type text, content text, ai_context jsonb, created_at timestamptz)
language sql stable security invoker set search_path = public, pg_temp as $$
  select c.agent_id, c.status, m.sender_type, m.content, m.ai_context, m.created_at
  from public.support_conversations c
  join public.support_messages m on m.conversation_id = c.id
  where c.id = p_conversation_id
  order by m.created_at, m.id
$$;
revoke execute on function public.suggest_conversation(bigint) from public, anon;
grant execute on function public.suggest_conversation(bigint) to authenticated, service_role;

/**
 * What suggestions index for one bot, changed since p_since (null = all):
 * learned responses (active when approved) and operators' answers in resolved
 * conversations (active unless an approved learned response already carries
 * them). The caller keeps the newest changed_at and asks again from there.
 */
create or replace function public.suggest_corpus(p_agent_id bigint, p_since timestamptz default null)
returns table (kind text, ref_id bigint, question text, answer text, active boolean, changed_at timestamptz)
language sql stable security invoker set search_path = public, pg_temp as $$
  select 'learned_response', lr.id, lr.question, lr.answer, lr.status = 'approved', lr.updated_at
  from public.learned_responses lr
  where lr.agent_id = p_agent_id and (p_since is null or lr.updated_at > p_since)
  union all
  select 'past_answer', c.id,
    coalesce((select string_agg(m.content, E'\n' order by m.id) from public.support_messages m
               where m.conversation_id = c.id and m.sender_type = 'user'
                 and m.id < coalesce((select min(a.id) from public.support_messages a
                                       where a.conversation_id = c.id and a.sender_type = 'admin'), 9223372036854775807)), ''),
    coalesce((select string_agg(m.content, E'\n' order by m.id) from public.support_messages m
               where m.conversation_id = c.id and m.sender_type = 'admin'), ''),
    c.status = 'resolved' and coalesce(c.resolution_type, 'answered') = 'answered'
      and exists (select 1 from public.support_messages m where m.conversation_id = c.id and m.sender_type = 'admin')
      and not exists (select 1 from public.learned_responses l where l.id = c.learned_response_id and l.status = 'approved'),
    c.updated_at
  from public.support_conversations c
  where c.agent_id = p_agent_id and c.status = 'resolved' and (p_since is null or c.updated_at > p_since)
  order by 6
$$;
revoke execute on function public.suggest_corpus(bigint, timestamptz) from public, anon;
grant execute on function public.suggest_corpus(bigint, timestamptz) to authenticated, service_role;
