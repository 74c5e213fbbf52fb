/**
 * The cache's schema, forward only: entry N brings a cache from user_version
 * N-1 to N. Never edit a shipped entry; append one. A file whose
 * user_version is above the last entry was written by a newer app and is
 * moved aside rather than guessed at (see open.ts).
 */
export const CACHE_MIGRATIONS: readonly string[] = [
  // 1: conversations, messages + FTS, snapshots, feed position, outbox, drafts, settings.
  `
  create table meta (key text primary key, value text not null) strict;

  create table conversations (
    id integer primary key,
    agent_id integer not null,
    status text not null,
    assigned_admin_id text,
    priority text not null,
    updated_at text not null,
    updated_ms integer not null,
    data text not null
  ) strict;
  create index conversations_status on conversations(status, updated_ms);
  create index conversations_assignee on conversations(assigned_admin_id, updated_ms);
  create index conversations_updated on conversations(updated_ms);

  create table messages (
    id integer primary key,
    conversation_id integer not null,
    sender_type text not null,
    admin_id text,
    content text not null,
    created_at text not null,
    created_ms integer not null,
    client_msg_id text
  ) strict;
  create index messages_conversation on messages(conversation_id, created_ms);
  create index messages_created on messages(created_ms);

  -- remove_diacritics 2: "reçu" finds "recu" and the other way round, in French and English alike.
  create virtual table messages_fts using fts5(
    content, content = 'messages', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
  );
  create trigger messages_fts_insert after insert on messages begin
    insert into messages_fts(rowid, content) values (new.id, new.content);
  end;
  create trigger messages_fts_delete after delete on messages begin
    insert into messages_fts(messages_fts, rowid, content) values ('delete', old.id, old.content);
  end;
  create trigger messages_fts_update after update of content on messages begin
    insert into messages_fts(messages_fts, rowid, content) values ('delete', old.id, old.content);
    insert into messages_fts(rowid, content) values (new.id, new.content);
  end;

  create table snapshots (name text primary key, saved_at text not null, data text not null) strict;

  create table dirty (entity text not null, id text not null, primary key (entity, id)) strict, without rowid;

  create table outbox (
    id integer primary key autoincrement,
    kind text not null check (kind in ('reply', 'claim', 'resolve')),
    conversation_id integer not null,
    client_msg_id text unique,
    payload text not null,
    operator_id text not null,
    created_at text not null,
    state text not null default 'pending' check (state in ('pending', 'rejected')),
    attempts integer not null default 0,
    error_code text,
    last_error text
  ) strict;
  create index outbox_operator on outbox(operator_id, state, id);

  create table drafts (
    operator_id text not null,
    conversation_id integer not null,
    content text not null,
    updated_at text not null,
    primary key (operator_id, conversation_id)
  ) strict, without rowid;
  `,
];

export const CACHE_VERSION = CACHE_MIGRATIONS.length;
