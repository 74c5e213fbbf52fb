-- Identity the Supabase way (DESIGN.md §8): roles anon / authenticated /
-- service_role, the login role authenticator, and a minimal auth schema.
-- On Supabase all of this exists already and is left untouched; on a plain
-- Postgres or the embedded database it is created here.

do $$
declare r text;
begin
  foreach r in array array['anon', 'authenticated', 'service_role'] loop
    if not exists (select 1 from pg_roles where rolname = r) then
      begin
        execute format('create role %I nologin', r);
      exception when duplicate_object or unique_violation then null; -- another database on this cluster won the race
      end;
    end if;
  end loop;
  if not exists (select 1 from pg_roles where rolname = 'authenticator') then
    begin
      create role authenticator noinherit nologin;
    exception when duplicate_object or unique_violation then null;
    end;
  end if;
end $$;

-- service_role bypasses RLS, as on Supabase; only trusted hosts (engine, demo bot) act as it.
do $$ begin
  if not exists (select 1 from pg_roles where rolname = 'service_role' and rolbypassrls) then
    begin alter role service_role bypassrls; exception when insufficient_privilege then null; end;
  end if;
end $$;

grant anon, authenticated, service_role to authenticator;

create schema if not exists auth;
grant usage on schema auth to anon, authenticated, service_role;

create table if not exists auth.users (
  id uuid primary key default gen_random_uuid(),
  email text unique,
  created_at timestamptz not null default now()
);

do $$ begin
  if not exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'auth' and p.proname = 'jwt') then
    create function auth.jwt() returns jsonb language sql stable as
      $f$ select coalesce(nullif(current_setting('request.jwt.claims', true), ''), '{}')::jsonb $f$;
  end if;
  if not exists (select 1 from pg_proc p join pg_namespace n on n.oid = p.pronamespace
                 where n.nspname = 'auth' and p.proname = 'uid') then
    create function auth.uid() returns uuid language sql stable as
      $f$ select nullif(auth.jwt() ->> 'sub', '')::uuid $f$;
  end if;
end $$;

grant execute on function auth.uid() to anon, authenticated, service_role;
grant execute on function auth.jwt() to anon, authenticated, service_role;

grant usage on schema public to anon, authenticated, service_role;
-- Nothing in public is callable by default: each function grants itself explicitly.
alter default privileges in schema public revoke execute on functions from public;
