-- Supabase realtime delivers INSERTs on desk_events as the feed's wake-up
-- (the client then pulls desk_events_since). On Supabase the publication
-- exists; elsewhere there is nothing to do. The other tables are added too so
-- a Supabase dashboard or a bot can subscribe to them, still filtered by RLS.
do $$
declare t text;
begin
  if not exists (select 1 from pg_publication where pubname = 'supabase_realtime') then return; end if;
  foreach t in array array['desk_events', 'agents', 'operators', 'admin_availability', 'support_conversations',
                           'support_messages', 'learned_responses', 'conversation_logs', 'intent_analysis_log',
                           'reply_templates', 'engine_leases'] loop
    if not exists (select 1 from pg_publication_tables
                    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = t) then
      execute format('alter publication supabase_realtime add table public.%I', t);
    end if;
  end loop;
end $$;
