-- Suggestions, issue 7 item 4: the synonym groups bots' matching uses gain the
-- general vocabulary added to data/suggest/synonyms.json (fees with prices,
-- "prévenir" with notifications, payment terms with due dates, "hors
-- connexion" with offline, a group for variants...). test/suggest checks the
-- table and the file still agree.

insert into public.suggest_synonyms(entry, canonical) values
  ('transmis', 'syn20x'),
  ('transmise', 'syn20x'),
  ('frais', 'syn21x'),
  ('fee', 'syn21x'),
  ('fees', 'syn21x'),
  ('prevenir', 'syn43x'),
  ('prevenu', 'syn43x'),
  ('avertir', 'syn43x'),
  ('notifier', 'syn43x'),
  ('notify', 'syn43x'),
  ('make money', 'syn85x'),
  ('making money', 'syn85x'),
  ('gagner de l argent', 'syn85x'),
  ('delai', 'syn87x'),
  ('payment terms', 'syn87x'),
  ('conditions de paiement', 'syn87x'),
  ('delai de paiement', 'syn87x'),
  ('hors connexion', 'syn92x'),
  ('variante', 'syn127x'),
  ('variant', 'syn127x'),
  ('alternative', 'syn127x')
on conflict (entry) do update set canonical = excluded.canonical;

select public.desk_reindex_learned_responses();

/**
 * Learned responses of one bot whose question matches p_question (any status,
 * best first): the engine of match_learned_response and of duplicate detection.
 * Runs as the caller, so RLS decides which bots' responses it sees.
 */
create or replace function public.learned_response_candidates(
  p_agent_id bigint, p_question text, p_min_score real default 0.2, p_limit int default 5)
returns table (id bigint, question text, answer text, status text, score real)
language sql stable security invoker set search_path = public, pg_temp as $$
  -- materialized: analyse the question once, not once per candidate row
  with q as materialized (select public.desk_match_terms(p_question) as terms, public.desk_text_language(p_question) as lang)
  select c.id, c.question, c.answer, c.status, c.score from (
    select lr.id, lr.question, lr.answer, lr.status, lr.use_count,
      -- the synonym groups span both languages; an operator answers in the customer's language, so an answer
      -- in another language than the question's counts for half (the console ranks those after, too)
      (public.desk_match_score(q.terms, t.terms, t.answer_terms)
        * case when t.lang is not null and q.lang is not null and t.lang <> q.lang then 0.5 else 1 end)::real as score
    from q
    join public.learned_response_terms t
      on t.agent_id = p_agent_id and cardinality(q.terms) > 0
     and t.tsv @@ to_tsquery('simple', array_to_string(q.terms, ' | '))
    join public.learned_responses lr on lr.id = t.learned_response_id
  ) c
  where c.score >= p_min_score
  order by c.score desc, c.use_count desc, c.id
  limit least(greatest(p_limit, 1), 50)
$$;
