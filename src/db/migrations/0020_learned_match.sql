-- Suggestions and the learning loop (issue 7, seed 001 §6-7).
--
-- match_learned_response lets a bot answer a question an operator already
-- answered: Postgres full-text search over the approved learned responses of
-- that bot, with French and English configurations on top of unaccent, stop
-- words of both languages dropped and a small synonym list (the same groups as
-- data/suggest/synonyms.json; test/suggest checks they agree). Each learned
-- response's question is analysed once, by trigger, into
-- learned_response_terms; a lookup is a GIN search plus a Dice overlap score.
-- A bot answers with a match from learned_answer_min_score(bot) on; each
-- answer it actually posts naming the learned response (ai_context
-- .learned_response_id, through bot_post_message) is logged in
-- learned_response_uses: those are the escalations the loop avoided.

create extension if not exists unaccent;

do $$ begin
  if not exists (select 1 from pg_ts_config where cfgname = 'desk_fr' and cfgnamespace = 'public'::regnamespace) then
    create text search configuration public.desk_fr (copy = pg_catalog.french);
    alter text search configuration public.desk_fr
      alter mapping for hword, hword_part, word with unaccent, french_stem;
  end if;
  if not exists (select 1 from pg_ts_config where cfgname = 'desk_en' and cfgnamespace = 'public'::regnamespace) then
    create text search configuration public.desk_en (copy = pg_catalog.english);
    alter text search configuration public.desk_en
      alter mapping for hword, hword_part, word with unaccent, english_stem;
  end if;
end $$;

-- Words and phrases that mean the same; `canonical` names the group. Editable:
-- after a change, run select desk_reindex_learned_responses().
create table if not exists public.suggest_synonyms (
  entry text primary key,
  canonical text not null,
  -- a single word's stems (set by trigger); null for a phrase
  stems text[]
);
create index if not exists idx_suggest_synonyms_stems on public.suggest_synonyms using gin (stems);
alter table public.suggest_synonyms enable row level security;
revoke all on public.suggest_synonyms from public, anon, authenticated;
grant select on public.suggest_synonyms to authenticated;
drop policy if exists synonyms_read on public.suggest_synonyms;
create policy synonyms_read on public.suggest_synonyms for select to authenticated using (true);
grant all on public.suggest_synonyms to service_role;



/** The French and English stems of one folded word; empty when either language calls it a stop word. */
create or replace function public.desk_word_stems(p_word text) returns text[]
language sql stable set search_path = public, pg_temp as $$
  -- Besides each language's stop words: the question and politeness words every support question has.
  select case when fr is null or en is null or length(p_word) < 2
                or p_word = any ('{comment,pourquoi,quand,quoi,faire,fait,veux,voudrais,peux,puis,pouvez,dois,faut,bonjour,
                                   salut,merci,svp,stp,plait,deja,encore,aussi,tres,how,please,thanks,hello,want,need,get,can,could,
                                   would,still,also,just}'::text[])
              then '{}'::text[]
              else array(select distinct x from unnest(array[fr, en]) x) end
  -- The words come accent-folded, and the French stemmer needs the accent of a past participle ("validée"
  -- -> valid, "validee" -> valide): it stems the word with that accent put back.
  from (select (select public.unaccent(lexeme) from unnest(to_tsvector('pg_catalog.french',
                  case when p_word ~ '^[a-z]{3,}[^aeiou]ee?s?$' then regexp_replace(p_word, 'e(e?s?)$', 'é\1') else p_word end)) limit 1) as fr,
               (select lexeme from unnest(to_tsvector('public.desk_en', p_word)) limit 1) as en) s
$$;

/**
 * The search terms of a text: accent- and case-folded, French elisions
 * dropped, synonym phrases and words replaced by their group, stop words of
 * either language dropped, every other word as its French and English stems.
 */
create or replace function public.desk_match_terms(p_text text) returns text[]
language plpgsql stable set search_path = public, pg_temp as $$
declare
  t text := lower(public.unaccent(coalesce(p_text, '')));
  p record;
begin
  t := regexp_replace(t, '\m(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)[''’]', ' ', 'g');
  for p in select lower(public.unaccent(entry)) as entry, canonical from public.suggest_synonyms
           where stems is null and strpos(t, split_part(entry, ' ', 1)) > 0 order by length(entry) desc loop
    t := regexp_replace(t, '\m' || array_to_string(regexp_split_to_array(p.entry, '[^a-z0-9]+'), '[^a-z0-9]+') || '\M',
                        ' ' || p.canonical || ' ', 'g');
  end loop;
  return coalesce((
    select array_agg(distinct term order by term) from (
      select case when w ~ '^syn[0-9]+x$' then array[w]
                  else coalesce((select array[s.canonical] from public.suggest_synonyms s
                                  where (s.entry = w or s.stems && w_stems) and w_stems <> '{}' order by s.entry = w desc, s.entry limit 1),
                                w_stems) end as terms
      from (select w, public.desk_word_stems(w) as w_stems
              from regexp_split_to_table(t, '[^a-z0-9]+') w where w <> '') ws
    ) x, unnest(x.terms) term
  ), '{}');
end $$;
grant execute on function public.desk_word_stems(text), public.desk_match_terms(text) to authenticated, service_role;

/** 'fr', 'en' or null: whose stop words the text uses more (the synonym groups span both languages). */
create or replace function public.desk_text_language(p_text text) returns text
language sql stable set search_path = public, pg_temp as $$
  select case when fr > en then 'fr' when en > fr then 'en' end
  from (
    select count(*) filter (where to_tsvector('public.desk_fr', w) = ''::tsvector and to_tsvector('public.desk_en', w) <> ''::tsvector) as fr,
           count(*) filter (where to_tsvector('public.desk_en', w) = ''::tsvector and to_tsvector('public.desk_fr', w) <> ''::tsvector) as en
    from regexp_split_to_table(lower(public.unaccent(coalesce(p_text, ''))), '[^a-z]+') w
    where length(w) > 1
  ) c
$$;
grant execute on function public.desk_text_language(text) to authenticated, service_role;

create or replace function public.desk_synonym_stems() returns trigger
language plpgsql set search_path = public, pg_temp as $$
begin
  new.entry := lower(public.unaccent(btrim(new.entry)));
  new.stems := case when new.entry ~ '[^a-z0-9]' then null else public.desk_word_stems(new.entry) end;
  return new;
end $$;
drop trigger if exists desk_synonym_stems on public.suggest_synonyms;
create trigger desk_synonym_stems before insert or update on public.suggest_synonyms
  for each row execute function public.desk_synonym_stems();

insert into public.suggest_synonyms(entry, canonical) values
  ('facture', 'syn0x'),
  ('invoice', 'syn0x'),
  ('bill', 'syn0x'),
  ('avoir', 'syn1x'),
  ('credit note', 'syn1x'),
  ('note de credit', 'syn1x'),
  ('devis', 'syn2x'),
  ('quote', 'syn2x'),
  ('quotation', 'syn2x'),
  ('estimate', 'syn2x'),
  ('estimation', 'syn2x'),
  ('annuler', 'syn3x'),
  ('cancel', 'syn3x'),
  ('annulation', 'syn3x'),
  ('void', 'syn3x'),
  ('supprimer', 'syn4x'),
  ('delete', 'syn4x'),
  ('effacer', 'syn4x'),
  ('remove', 'syn4x'),
  ('retirer', 'syn4x'),
  ('modifier', 'syn5x'),
  ('changer', 'syn5x'),
  ('editer', 'syn5x'),
  ('edit', 'syn5x'),
  ('change', 'syn5x'),
  ('update', 'syn5x'),
  ('mettre a jour', 'syn5x'),
  ('corriger', 'syn5x'),
  ('mot de passe', 'syn6x'),
  ('password', 'syn6x'),
  ('mdp', 'syn6x'),
  ('passcode', 'syn6x'),
  ('connexion', 'syn7x'),
  ('connecter', 'syn7x'),
  ('login', 'syn7x'),
  ('log in', 'syn7x'),
  ('sign in', 'syn7x'),
  ('se connecter', 'syn7x'),
  ('identifier', 'syn7x'),
  ('compte', 'syn8x'),
  ('account', 'syn8x'),
  ('espace client', 'syn8x'),
  ('paiement', 'syn9x'),
  ('payer', 'syn9x'),
  ('regler', 'syn9x'),
  ('reglement', 'syn9x'),
  ('payment', 'syn9x'),
  ('pay', 'syn9x'),
  ('paid', 'syn9x'),
  ('paye', 'syn9x'),
  ('rembourser', 'syn10x'),
  ('remboursement', 'syn10x'),
  ('refund', 'syn10x'),
  ('reimburse', 'syn10x'),
  ('money back', 'syn10x'),
  ('rembourse', 'syn10x'),
  ('livraison', 'syn11x'),
  ('livrer', 'syn11x'),
  ('delivery', 'syn11x'),
  ('deliver', 'syn11x'),
  ('shipping', 'syn11x'),
  ('ship', 'syn11x'),
  ('commande', 'syn12x'),
  ('order', 'syn12x'),
  ('commander', 'syn12x'),
  ('achat', 'syn12x'),
  ('purchase', 'syn12x'),
  ('buy', 'syn12x'),
  ('acheter', 'syn12x'),
  ('bought', 'syn12x'),
  ('chantier', 'syn13x'),
  ('worksite', 'syn13x'),
  ('job site', 'syn13x'),
  ('construction site', 'syn13x'),
  ('jobsite', 'syn13x'),
  ('job', 'syn13x'),
  ('project', 'syn13x'),
  ('projet', 'syn13x'),
  ('salarie', 'syn14x'),
  ('employe', 'syn14x'),
  ('ouvrier', 'syn14x'),
  ('employee', 'syn14x'),
  ('worker', 'syn14x'),
  ('staff', 'syn14x'),
  ('technicien', 'syn14x'),
  ('technician', 'syn14x'),
  ('compagnon', 'syn14x'),
  ('crew', 'syn14x'),
  ('client', 'syn15x'),
  ('customer', 'syn15x'),
  ('fournisseur', 'syn16x'),
  ('supplier', 'syn16x'),
  ('vendor', 'syn16x'),
  ('exporter', 'syn17x'),
  ('export', 'syn17x'),
  ('extraire', 'syn17x'),
  ('extract', 'syn17x'),
  ('telecharger', 'syn18x'),
  ('download', 'syn18x'),
  ('imprimer', 'syn19x'),
  ('print', 'syn19x'),
  ('impression', 'syn19x'),
  ('envoyer', 'syn20x'),
  ('send', 'syn20x'),
  ('transmettre', 'syn20x'),
  ('expedier', 'syn20x'),
  ('sent', 'syn20x'),
  ('envoye', 'syn20x'),
  ('prix', 'syn21x'),
  ('tarif', 'syn21x'),
  ('cout', 'syn21x'),
  ('price', 'syn21x'),
  ('cost', 'syn21x'),
  ('pricing', 'syn21x'),
  ('combien', 'syn21x'),
  ('how much', 'syn21x'),
  ('rate', 'syn21x'),
  ('abonnement', 'syn22x'),
  ('subscription', 'syn22x'),
  ('forfait', 'syn22x'),
  ('offre', 'syn22x'),
  ('resilier', 'syn23x'),
  ('resiliation', 'syn23x'),
  ('terminate', 'syn23x'),
  ('unsubscribe', 'syn23x'),
  ('desabonner', 'syn23x'),
  ('desinscrire', 'syn23x'),
  ('erreur', 'syn24x'),
  ('bug', 'syn24x'),
  ('probleme', 'syn24x'),
  ('error', 'syn24x'),
  ('issue', 'syn24x'),
  ('problem', 'syn24x'),
  ('souci', 'syn24x'),
  ('plante', 'syn24x'),
  ('crash', 'syn24x'),
  ('mistake', 'syn24x'),
  ('tromper', 'syn24x'),
  ('creer', 'syn25x'),
  ('create', 'syn25x'),
  ('ajouter', 'syn25x'),
  ('add', 'syn25x'),
  ('nouveau', 'syn25x'),
  ('new', 'syn25x'),
  ('utilisateur', 'syn26x'),
  ('user', 'syn26x'),
  ('collaborateur', 'syn26x'),
  ('membre', 'syn26x'),
  ('member', 'syn26x'),
  ('teammate', 'syn26x'),
  ('horaire', 'syn27x'),
  ('hours', 'syn27x'),
  ('opening hours', 'syn27x'),
  ('heures d ouverture', 'syn27x'),
  ('telephone', 'syn28x'),
  ('phone', 'syn28x'),
  ('numero', 'syn28x'),
  ('tel', 'syn28x'),
  ('mobile', 'syn28x'),
  ('tva', 'syn29x'),
  ('vat', 'syn29x'),
  ('taxe', 'syn29x'),
  ('tax', 'syn29x'),
  ('remise', 'syn30x'),
  ('reduction', 'syn30x'),
  ('discount', 'syn30x'),
  ('rabais', 'syn30x'),
  ('promo', 'syn30x'),
  ('code promo', 'syn30x'),
  ('coupon', 'syn30x'),
  ('retard', 'syn31x'),
  ('late', 'syn31x'),
  ('delay', 'syn31x'),
  ('delayed', 'syn31x'),
  ('en retard', 'syn31x'),
  ('photo', 'syn32x'),
  ('image', 'syn32x'),
  ('picture', 'syn32x'),
  ('pic', 'syn32x'),
  ('sauvegarde', 'syn33x'),
  ('backup', 'syn33x'),
  ('sauvegarder', 'syn33x'),
  ('planning', 'syn34x'),
  ('calendar', 'syn34x'),
  ('agenda', 'syn34x'),
  ('schedule', 'syn34x'),
  ('calendrier', 'syn34x'),
  ('planifier', 'syn34x'),
  ('programmer', 'syn34x'),
  ('relance', 'syn35x'),
  ('reminder', 'syn35x'),
  ('rappel', 'syn35x'),
  ('relancer', 'syn35x'),
  ('remind', 'syn35x'),
  ('acompte', 'syn36x'),
  ('deposit', 'syn36x'),
  ('down payment', 'syn36x'),
  ('arrhes', 'syn36x'),
  ('zone', 'syn37x'),
  ('area', 'syn37x'),
  ('secteur', 'syn37x'),
  ('quartier', 'syn37x'),
  ('neighbourhood', 'syn37x'),
  ('neighborhood', 'syn37x'),
  ('suivre', 'syn38x'),
  ('suivi', 'syn38x'),
  ('track', 'syn38x'),
  ('tracking', 'syn38x'),
  ('recu', 'syn39x'),
  ('receipt', 'syn39x'),
  ('justificatif', 'syn39x'),
  ('dupliquer', 'syn40x'),
  ('copier', 'syn40x'),
  ('duplicate', 'syn40x'),
  ('copy', 'syn40x'),
  ('logo', 'syn41x'),
  ('branding', 'syn41x'),
  ('langue', 'syn42x'),
  ('language', 'syn42x'),
  ('notification', 'syn43x'),
  ('alerte', 'syn43x'),
  ('alert', 'syn43x'),
  ('rapport', 'syn44x'),
  ('report', 'syn44x'),
  ('bilan', 'syn44x'),
  ('statistique', 'syn44x'),
  ('stats', 'syn44x'),
  ('compte rendu', 'syn44x'),
  ('journal', 'syn44x'),
  ('fichier', 'syn45x'),
  ('file', 'syn45x'),
  ('document', 'syn45x'),
  ('piece jointe', 'syn45x'),
  ('attachment', 'syn45x'),
  ('pj', 'syn45x'),
  ('rendez vous', 'syn46x'),
  ('rdv', 'syn46x'),
  ('appointment', 'syn46x'),
  ('meeting', 'syn46x'),
  ('banque', 'syn47x'),
  ('bank', 'syn47x'),
  ('rib', 'syn47x'),
  ('iban', 'syn47x'),
  ('bank details', 'syn47x'),
  ('virement', 'syn47x'),
  ('transfer', 'syn47x'),
  ('bank transfer', 'syn47x'),
  ('carte bancaire', 'syn48x'),
  ('carte', 'syn48x'),
  ('card', 'syn48x'),
  ('credit card', 'syn48x'),
  ('cb', 'syn48x'),
  ('mobile money', 'syn49x'),
  ('orange money', 'syn49x'),
  ('mtn money', 'syn49x'),
  ('wave', 'syn49x'),
  ('momo', 'syn49x'),
  ('article', 'syn50x'),
  ('produit', 'syn50x'),
  ('item', 'syn50x'),
  ('product', 'syn50x'),
  ('stock', 'syn51x'),
  ('inventaire', 'syn51x'),
  ('inventory', 'syn51x'),
  ('available', 'syn51x'),
  ('availability', 'syn51x'),
  ('disponible', 'syn51x'),
  ('disponibilite', 'syn51x'),
  ('en stock', 'syn51x'),
  ('in stock', 'syn51x'),
  ('materiau', 'syn52x'),
  ('materiaux', 'syn52x'),
  ('material', 'syn52x'),
  ('materials', 'syn52x'),
  ('fourniture', 'syn52x'),
  ('pointage', 'syn53x'),
  ('timesheet', 'syn53x'),
  ('badgeuse', 'syn53x'),
  ('feuille de temps', 'syn53x'),
  ('feuille d heures', 'syn53x'),
  ('time tracking', 'syn53x'),
  ('conge', 'syn54x'),
  ('absence', 'syn54x'),
  ('vacances', 'syn54x'),
  ('leave', 'syn54x'),
  ('holiday', 'syn54x'),
  ('vacation', 'syn54x'),
  ('signer', 'syn55x'),
  ('signature', 'syn55x'),
  ('sign', 'syn55x'),
  ('e signature', 'syn55x'),
  ('contrat', 'syn56x'),
  ('contract', 'syn56x'),
  ('agreement', 'syn56x'),
  ('ecran', 'syn57x'),
  ('screen', 'syn57x'),
  ('affichage', 'syn57x'),
  ('display', 'syn57x'),
  ('lent', 'syn58x'),
  ('lente', 'syn58x'),
  ('slow', 'syn58x'),
  ('ramer', 'syn58x'),
  ('lag', 'syn58x'),
  ('forever', 'syn58x'),
  ('longtemps', 'syn58x'),
  ('application', 'syn59x'),
  ('appli', 'syn59x'),
  ('app', 'syn59x'),
  ('logiciel', 'syn59x'),
  ('software', 'syn59x'),
  ('mobile app', 'syn59x'),
  ('email', 'syn60x'),
  ('mail', 'syn60x'),
  ('e mail', 'syn60x'),
  ('courriel', 'syn60x'),
  ('adresse', 'syn61x'),
  ('address', 'syn61x'),
  ('securite', 'syn62x'),
  ('security', 'syn62x'),
  ('securise', 'syn62x'),
  ('secure', 'syn62x'),
  ('2fa', 'syn62x'),
  ('double authentification', 'syn62x'),
  ('two factor', 'syn62x'),
  ('modele', 'syn63x'),
  ('template', 'syn63x'),
  ('trame', 'syn63x'),
  ('type', 'syn63x'),
  ('model', 'syn63x'),
  ('standard', 'syn63x'),
  ('essai', 'syn64x'),
  ('trial', 'syn64x'),
  ('tester', 'syn64x'),
  ('try', 'syn64x'),
  ('test', 'syn64x'),
  ('periode d essai', 'syn64x'),
  ('colis', 'syn65x'),
  ('package', 'syn65x'),
  ('parcel', 'syn65x'),
  ('fusionner', 'syn66x'),
  ('merge', 'syn66x'),
  ('combine', 'syn66x'),
  ('doublon', 'syn66x'),
  ('regrouper', 'syn66x'),
  ('droit', 'syn67x'),
  ('permission', 'syn67x'),
  ('access', 'syn67x'),
  ('acces', 'syn67x'),
  ('restreindre', 'syn67x'),
  ('restrict', 'syn67x'),
  ('limiter', 'syn67x'),
  ('limit', 'syn67x'),
  ('role', 'syn67x'),
  ('impaye', 'syn68x'),
  ('unpaid', 'syn68x'),
  ('overdue', 'syn68x'),
  ('pas paye', 'syn68x'),
  ('not paid', 'syn68x'),
  ('hasn t paid', 'syn68x'),
  ('haven t paid', 'syn68x'),
  ('en attente de paiement', 'syn68x'),
  ('awaiting payment', 'syn68x'),
  ('ttc', 'syn69x'),
  ('toutes taxes comprises', 'syn69x'),
  ('tax included', 'syn69x'),
  ('including tax', 'syn69x'),
  ('support', 'syn70x'),
  ('service client', 'syn70x'),
  ('customer service', 'syn70x'),
  ('assistance', 'syn70x'),
  ('helpdesk', 'syn70x'),
  ('sav', 'syn70x'),
  ('entretien', 'syn71x'),
  ('maintenance', 'syn71x'),
  ('taille', 'syn72x'),
  ('size', 'syn72x'),
  ('pointure', 'syn72x'),
  ('personnaliser', 'syn73x'),
  ('personalise', 'syn73x'),
  ('personalize', 'syn73x'),
  ('customise', 'syn73x'),
  ('customize', 'syn73x'),
  ('affecter', 'syn74x'),
  ('assign', 'syn74x'),
  ('attribuer', 'syn74x'),
  ('depense', 'syn75x'),
  ('expense', 'syn75x'),
  ('ticket de caisse', 'syn75x'),
  ('etranger', 'syn76x'),
  ('abroad', 'syn76x'),
  ('international', 'syn76x'),
  ('foreign', 'syn76x'),
  ('overseas', 'syn76x'),
  ('restaurer', 'syn77x'),
  ('restore', 'syn77x'),
  ('recover', 'syn77x'),
  ('recuperer', 'syn77x'),
  ('retrieve', 'syn77x'),
  ('transformer', 'syn78x'),
  ('convertir', 'syn78x'),
  ('convert', 'syn78x'),
  ('turn into', 'syn78x'),
  ('deplacement', 'syn79x'),
  ('trajet', 'syn79x'),
  ('travel', 'syn79x'),
  ('kilometre', 'syn79x'),
  ('mileage', 'syn79x'),
  ('voir', 'syn80x'),
  ('see', 'syn80x'),
  ('view', 'syn80x'),
  ('consulter', 'syn80x'),
  ('afficher', 'syn80x'),
  ('show', 'syn80x'),
  ('regarder', 'syn80x'),
  ('look at', 'syn80x'),
  ('visualiser', 'syn80x'),
  ('enregistrer', 'syn81x'),
  ('record', 'syn81x'),
  ('saisir', 'syn81x'),
  ('enter', 'syn81x'),
  ('log', 'syn81x'),
  ('noter', 'syn81x'),
  ('sauver', 'syn81x'),
  ('save', 'syn81x'),
  ('renseigner', 'syn81x'),
  ('recevoir', 'syn82x'),
  ('receive', 'syn82x'),
  ('received', 'syn82x'),
  ('reception', 'syn82x'),
  ('arrive', 'syn82x'),
  ('arrived', 'syn82x'),
  ('equipe', 'syn83x'),
  ('team', 'syn83x'),
  ('collegue', 'syn83x'),
  ('colleague', 'syn83x'),
  ('coworker', 'syn83x'),
  ('argent', 'syn84x'),
  ('money', 'syn84x'),
  ('fonds', 'syn84x'),
  ('cash', 'syn84x'),
  ('especes', 'syn84x'),
  ('rentable', 'syn85x'),
  ('rentabilite', 'syn85x'),
  ('profitable', 'syn85x'),
  ('profitability', 'syn85x'),
  ('marge', 'syn85x'),
  ('margin', 'syn85x'),
  ('benefice', 'syn85x'),
  ('profit', 'syn85x'),
  ('partager', 'syn86x'),
  ('share', 'syn86x'),
  ('partage', 'syn86x'),
  ('shared', 'syn86x'),
  ('echeance', 'syn87x'),
  ('deadline', 'syn87x'),
  ('due date', 'syn87x'),
  ('date limite', 'syn87x'),
  ('due', 'syn87x'),
  ('confirmer', 'syn88x'),
  ('confirm', 'syn88x'),
  ('confirmation', 'syn88x'),
  ('valider', 'syn88x'),
  ('validate', 'syn88x'),
  ('validation', 'syn88x'),
  ('valide', 'syn88x'),
  ('commencer', 'syn89x'),
  ('start', 'syn89x'),
  ('begin', 'syn89x'),
  ('demarrer', 'syn89x'),
  ('debut', 'syn89x'),
  ('debuter', 'syn89x'),
  ('lancer', 'syn89x'),
  ('liste', 'syn90x'),
  ('list', 'syn90x'),
  ('lister', 'syn90x'),
  ('mauvais', 'syn91x'),
  ('wrong', 'syn91x'),
  ('incorrect', 'syn91x'),
  ('faux', 'syn91x'),
  ('erronee', 'syn91x'),
  ('internet', 'syn92x'),
  ('reseau', 'syn92x'),
  ('network', 'syn92x'),
  ('wifi', 'syn92x'),
  ('hors ligne', 'syn92x'),
  ('offline', 'syn92x'),
  ('online', 'syn92x'),
  ('en ligne', 'syn92x'),
  ('sans connexion', 'syn92x'),
  ('excel', 'syn93x'),
  ('csv', 'syn93x'),
  ('spreadsheet', 'syn93x'),
  ('tableur', 'syn93x'),
  ('xlsx', 'syn93x'),
  ('message', 'syn94x'),
  ('texte', 'syn94x'),
  ('text', 'syn94x'),
  ('contenu', 'syn94x'),
  ('content', 'syn94x'),
  ('wording', 'syn94x'),
  ('montant', 'syn95x'),
  ('amount', 'syn95x'),
  ('somme', 'syn95x'),
  ('total', 'syn95x'),
  ('methode', 'syn96x'),
  ('moyen', 'syn96x'),
  ('method', 'syn96x'),
  ('means', 'syn96x'),
  ('mode de paiement', 'syn96x'),
  ('moyen de paiement', 'syn96x'),
  ('payment method', 'syn96x'),
  ('trouver', 'syn97x'),
  ('find', 'syn97x'),
  ('chercher', 'syn97x'),
  ('search', 'syn97x'),
  ('rechercher', 'syn97x'),
  ('look for', 'syn97x'),
  ('retrouver', 'syn97x'),
  ('locate', 'syn97x'),
  ('attendre', 'syn98x'),
  ('wait', 'syn98x'),
  ('waiting', 'syn98x'),
  ('attente', 'syn98x'),
  ('comptabilite', 'syn99x'),
  ('compta', 'syn99x'),
  ('accounting', 'syn99x'),
  ('comptable', 'syn99x'),
  ('accountant', 'syn99x'),
  ('bookkeeping', 'syn99x'),
  ('expert comptable', 'syn99x'),
  ('fermer', 'syn100x'),
  ('close', 'syn100x'),
  ('cloturer', 'syn100x'),
  ('clore', 'syn100x'),
  ('archiver', 'syn100x'),
  ('archive', 'syn100x'),
  ('devise', 'syn101x'),
  ('currency', 'syn101x'),
  ('monnaie', 'syn101x'),
  ('aide', 'syn102x'),
  ('help', 'syn102x'),
  ('aider', 'syn102x'),
  ('assist', 'syn102x'),
  ('tutoriel', 'syn102x'),
  ('tutorial', 'syn102x'),
  ('guide', 'syn102x'),
  ('oublier', 'syn103x'),
  ('oublie', 'syn103x'),
  ('forgot', 'syn103x'),
  ('forgotten', 'syn103x'),
  ('forget', 'syn103x'),
  ('perdu', 'syn103x'),
  ('lost', 'syn103x'),
  ('bloque', 'syn104x'),
  ('blocked', 'syn104x'),
  ('stuck', 'syn104x'),
  ('coince', 'syn104x'),
  ('locked', 'syn104x'),
  ('verrouille', 'syn104x'),
  ('lock', 'syn104x'),
  ('ouvrir', 'syn105x'),
  ('open', 'syn105x'),
  ('quantite', 'syn106x'),
  ('quantity', 'syn106x'),
  ('nombre', 'syn106x'),
  ('gratuit', 'syn107x'),
  ('free', 'syn107x'),
  ('sans frais', 'syn107x'),
  ('offert', 'syn107x'),
  ('retour', 'syn108x'),
  ('return', 'syn108x'),
  ('retourner', 'syn108x'),
  ('renvoyer', 'syn108x'),
  ('send back', 'syn108x'),
  ('echanger', 'syn109x'),
  ('exchange', 'syn109x'),
  ('swap', 'syn109x'),
  ('remplacer', 'syn109x'),
  ('replace', 'syn109x'),
  ('replacement', 'syn109x'),
  ('echange', 'syn109x'),
  ('collecter', 'syn110x'),
  ('collect', 'syn110x'),
  ('pick up', 'syn110x'),
  ('venir chercher', 'syn110x'),
  ('retrait', 'syn110x'),
  ('click and collect', 'syn110x'),
  ('numerotation', 'syn111x'),
  ('numbering', 'syn111x'),
  ('numeroter', 'syn111x'),
  ('sequence', 'syn111x'),
  ('importer', 'syn112x'),
  ('import', 'syn112x'),
  ('charger', 'syn112x'),
  ('upload', 'syn112x'),
  ('televerser', 'syn112x'),
  ('parametre', 'syn113x'),
  ('settings', 'syn113x'),
  ('reglages', 'syn113x'),
  ('setting', 'syn113x'),
  ('configuration', 'syn113x'),
  ('configurer', 'syn113x'),
  ('configure', 'syn113x'),
  ('preferences', 'syn113x'),
  ('option', 'syn113x'),
  ('semaine', 'syn114x'),
  ('week', 'syn114x'),
  ('weekly', 'syn114x'),
  ('hebdomadaire', 'syn114x'),
  ('mois', 'syn115x'),
  ('month', 'syn115x'),
  ('monthly', 'syn115x'),
  ('mensuel', 'syn115x'),
  ('annee', 'syn116x'),
  ('year', 'syn116x'),
  ('annuel', 'syn116x'),
  ('yearly', 'syn116x'),
  ('annual', 'syn116x'),
  ('heure', 'syn117x'),
  ('hour', 'syn117x'),
  ('temps', 'syn117x'),
  ('time', 'syn117x'),
  ('accepter', 'syn118x'),
  ('accept', 'syn118x'),
  ('accepted', 'syn118x'),
  ('accepte', 'syn118x'),
  ('refuser', 'syn119x'),
  ('refuse', 'syn119x'),
  ('reject', 'syn119x'),
  ('decline', 'syn119x'),
  ('refus', 'syn119x'),
  ('declined', 'syn119x'),
  ('rappeler', 'syn120x'),
  ('call back', 'syn120x'),
  ('appeler', 'syn120x'),
  ('call', 'syn120x'),
  ('joindre', 'syn120x'),
  ('contacter', 'syn120x'),
  ('contact', 'syn120x'),
  ('reach', 'syn120x'),
  ('fonctionner', 'syn121x'),
  ('work', 'syn121x'),
  ('marcher', 'syn121x'),
  ('fonctionne', 'syn121x'),
  ('working', 'syn121x'),
  ('marche', 'syn121x'),
  ('upgrade', 'syn122x'),
  ('mise a jour', 'syn122x'),
  ('identifiant', 'syn123x'),
  ('username', 'syn123x'),
  ('login name', 'syn123x'),
  ('nom d utilisateur', 'syn123x'),
  ('avis', 'syn124x'),
  ('review', 'syn124x'),
  ('feedback', 'syn124x'),
  ('note', 'syn124x'),
  ('rating', 'syn124x'),
  ('commentaire', 'syn124x'),
  ('comment', 'syn124x'),
  ('plainte', 'syn125x'),
  ('complaint', 'syn125x'),
  ('reclamation', 'syn125x'),
  ('se plaindre', 'syn125x'),
  ('complain', 'syn125x'),
  ('urgent', 'syn126x'),
  ('urgence', 'syn126x'),
  ('urgently', 'syn126x'),
  ('asap', 'syn126x'),
  ('emergency', 'syn126x')
on conflict (entry) do nothing;

-- One row per learned response: its question's terms and its answer's, kept
-- by trigger. tsv holds both: a paraphrase often uses the answer's words.
create table if not exists public.learned_response_terms (
  learned_response_id bigint primary key references public.learned_responses(id) on delete cascade,
  agent_id bigint not null,
  terms text[] not null,
  answer_terms text[] not null default '{}',
  tsv tsvector not null,
  lang text
);
create index if not exists idx_lr_terms_tsv on public.learned_response_terms using gin (tsv);
create index if not exists idx_lr_terms_agent on public.learned_response_terms(agent_id);

-- Each time a bot answered with a learned response instead of escalating.
create table if not exists public.learned_response_uses (
  id bigserial primary key,
  learned_response_id bigint not null references public.learned_responses(id) on delete cascade,
  agent_id bigint not null,
  -- the bot's answer; one use per message
  message_id bigint unique references public.support_messages(id) on delete set null,
  question text not null,
  score real,
  used_at timestamptz not null default now()
);
create index if not exists idx_lr_uses_lr on public.learned_response_uses(learned_response_id, used_at);
create index if not exists idx_lr_uses_agent on public.learned_response_uses(agent_id, used_at);

alter table public.learned_response_terms enable row level security;
alter table public.learned_response_uses enable row level security;
revoke all on public.learned_response_terms, public.learned_response_uses from public, anon, authenticated;
grant select on public.learned_response_terms, public.learned_response_uses to authenticated;
grant all on public.learned_response_terms, public.learned_response_uses to service_role;
grant usage, select on sequence public.learned_response_uses_id_seq to service_role;
drop policy if exists lr_terms_read on public.learned_response_terms;
create policy lr_terms_read on public.learned_response_terms for select to authenticated
  using (public.desk_can_see_agent(agent_id));
drop policy if exists lr_uses_read on public.learned_response_uses;
create policy lr_uses_read on public.learned_response_uses for select to authenticated
  using (public.desk_can_see_agent(agent_id));

create or replace function public.desk_index_learned_response() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare t text[]; a text[];
begin
  t := public.desk_match_terms(new.question);
  a := public.desk_match_terms(new.answer);
  insert into public.learned_response_terms(learned_response_id, agent_id, terms, answer_terms, tsv, lang)
  values (new.id, new.agent_id, t, a, array_to_tsvector(t || a), public.desk_text_language(new.question))
  on conflict (learned_response_id) do update
    set agent_id = excluded.agent_id, terms = excluded.terms, answer_terms = excluded.answer_terms,
        tsv = excluded.tsv, lang = excluded.lang;
  return null;
end $$;
drop trigger if exists desk_index_learned_response on public.learned_responses;
create trigger desk_index_learned_response after insert or update of question, answer, agent_id on public.learned_responses
  for each row execute function public.desk_index_learned_response();

/** Re-analyses every question (after the synonym list or the configurations changed). Returns how many. */
create or replace function public.desk_reindex_learned_responses() returns int
language plpgsql volatile security definer set search_path = public, pg_temp as $$
declare n int;
begin
  insert into public.learned_response_terms(learned_response_id, agent_id, terms, answer_terms, tsv, lang)
  select id, agent_id, t, a, array_to_tsvector(t || a), public.desk_text_language(question)
  from (select id, agent_id, question, public.desk_match_terms(question) as t, public.desk_match_terms(answer) as a
          from public.learned_responses) lr
  on conflict (learned_response_id) do update
    set agent_id = excluded.agent_id, terms = excluded.terms, answer_terms = excluded.answer_terms,
        tsv = excluded.tsv, lang = excluded.lang;
  get diagnostics n = row_count;
  return n;
end $$;
revoke execute on function public.desk_reindex_learned_responses() from public, anon, authenticated;
grant execute on function public.desk_reindex_learned_responses() to service_role;
select public.desk_reindex_learned_responses();

/** Dice overlap of two term sets, 0..1. */
create or replace function public.desk_term_overlap(a text[], b text[]) returns real
language sql immutable set search_path = public, pg_temp as $$
  select case when coalesce(cardinality(a), 0) + coalesce(cardinality(b), 0) = 0 then 0::real
    else (2.0 * (select count(*) from (select unnest(a) intersect select unnest(b)) i)
          / (cardinality(a) + cardinality(b)))::real end
$$;

/**
 * How well a question (q) matches a learned response: the Dice overlap with
 * its question, raised toward 1 by the share of the asked words that the
 * question or the answer holds (at a low weight: an answer uses many words).
 * The same question scores 1; words found only in the answer add at most 0.5.
 */
create or replace function public.desk_match_score(q text[], question text[], answer text[]) returns real
language sql immutable set search_path = public, pg_temp as $$
  select case when coalesce(cardinality(q), 0) = 0 then 0::real else
    (d + (1 - d) * 0.5 * (select count(*) from (select unnest(q) intersect select unnest(question || answer)) i)
                        / cardinality(q))::real end
  from (select public.desk_term_overlap(q, question) as d) s
$$;
grant execute on function public.desk_match_score(text[], text[], text[]) to authenticated, service_role;

-- Per bot: from which match score it answers with a learned response (null = 0.75).
alter table public.agents add column if not exists learned_answer_min_score real
  check (learned_answer_min_score between 0 and 1);

/**
 * The one threshold of reuse: a bot answers with a learned response whose
 * score reaches it, else escalates. Never below the bot's escalation
 * threshold, since the engine judges the bot's answer by that same score.
 */
create or replace function public.learned_answer_min_score(p_agent_id bigint) returns real
language sql stable security definer set search_path = public, pg_temp as $$
  select greatest(coalesce(a.learned_answer_min_score, 0.75), coalesce(a.escalation_threshold, 0))::real
  from public.agents a where a.id = p_agent_id
$$;
revoke execute on function public.learned_answer_min_score(bigint) from public, anon;
grant execute on function public.learned_answer_min_score(bigint) to authenticated, service_role;
grant execute on function public.desk_term_overlap(text[], text[]) to authenticated, service_role;

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
      -- the synonym groups span both languages: an answer in another language than the question's counts less
      (public.desk_match_score(q.terms, t.terms, t.answer_terms)
        * case when t.lang is not null and q.lang is not null and t.lang <> q.lang then 0.8 else 1 end)::real as score
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
grant execute on function public.learned_response_candidates(bigint, text, real, int) to authenticated, service_role;

/**
 * For bots (DESIGN.md §8): the approved answers to questions like p_question,
 * best first (at most 3, score 0..1). Read-only: a bot answers with the first
 * one when its score reaches learned_answer_min_score(p_agent_id) and posts it
 * with ai_context.learned_response_id; that post is what counts as a reuse.
 */
create or replace function public.match_learned_response(p_agent_id bigint, p_question text)
returns table (id bigint, question text, answer text, score real)
language plpgsql stable security definer set search_path = public, pg_temp as $$
begin
  if p_agent_id is null or p_question is null or length(btrim(p_question)) = 0 then
    raise exception 'invalid_input: an agent id and a question are required';
  end if;
  if length(p_question) > 10000 then raise exception 'invalid_input: question longer than 10000 characters'; end if;
  if coalesce(auth.jwt() ->> 'role', '') <> 'service_role' and not public.desk_can_see_agent(p_agent_id) then
    raise exception 'not_allowed: not your bot';
  end if;
  return query
    select c.id, c.question, c.answer, c.score
    from public.learned_response_candidates(p_agent_id, p_question, 0.2, 50) c
    where c.status = 'approved'
    order by c.score desc, c.id
    limit 3;
end $$;
revoke execute on function public.match_learned_response(bigint, text) from public, anon;
grant execute on function public.match_learned_response(bigint, text) to authenticated, service_role;

/**
 * A bot's message that names an approved learned response of its own bot
 * (ai_context.learned_response_id) is an answer given instead of an
 * escalation: logged once per message, and counted on the response.
 * Runs inside bot_post_message, which already holds the feed lock.
 */
create or replace function public.desk_count_learned_use() returns trigger
language plpgsql security definer set search_path = public, pg_temp as $$
declare
  lr public.learned_responses;
  v_agent bigint;
  v_id bigint;
begin
  if coalesce(jsonb_typeof(new.ai_context -> 'learned_response_id'), '') <> 'number' then return null; end if;
  v_id := (new.ai_context ->> 'learned_response_id')::bigint;
  select agent_id into v_agent from public.support_conversations where id = new.conversation_id;
  select * into lr from public.learned_responses where id = v_id;
  if lr.id is null or lr.status <> 'approved' or lr.agent_id <> v_agent then return null; end if;
  insert into public.learned_response_uses(learned_response_id, agent_id, message_id, question, score)
  values (lr.id, v_agent, new.id,
    left(coalesce((select m.content from public.support_messages m
                    where m.conversation_id = new.conversation_id and m.sender_type = 'user' and m.id < new.id
                    order by m.id desc limit 1), ''), 2000),
    case when jsonb_typeof(new.ai_context -> 'max_score') = 'number' then (new.ai_context ->> 'max_score')::real end)
  on conflict (message_id) do nothing;
  if found then
    update public.learned_responses set use_count = use_count + 1, last_used_at = now() where id = lr.id;
  end if;
  return null;
end $$;
drop trigger if exists desk_count_learned_use on public.support_messages;
create trigger desk_count_learned_use after insert on public.support_messages
  for each row when (new.sender_type = 'ai' and new.ai_context ? 'learned_response_id')
  execute function public.desk_count_learned_use();
