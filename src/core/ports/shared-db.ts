/**
 * The shared database as the core sees it, whichever adapter is behind it
 * (pg server, embedded PGlite, Supabase). Every operator read and write is a
 * SQL function (DESIGN.md §3), so one `rpc` call covers all three adapters:
 * pg and PGlite run `select ... from fn(p_x => $1)`, Supabase calls `rpc()`.
 */
export type Identity =
  | { kind: 'operator'; operatorId: string }
  /** The engine and the demo bot on a direct or embedded connection: bypasses RLS like Supabase's service_role. */
  | { kind: 'service' }
  | { kind: 'anon' };

/** One row of the change feed (desk_events), as desk_events_since returns it. */
export interface FeedEvent { seq: number; kind: string; entity: string; id: string; operator_scope: number | null; at: string }

export type ConnectionKind = 'embedded' | 'postgres' | 'supabase';

export interface SharedDb {
  readonly kind: ConnectionKind;
  /** Calls a SQL function with named arguments and returns its result rows as JSON values (one per row). */
  rpc<T = unknown>(fn: string, args: Record<string, unknown>, as: Identity): Promise<T[]>;
  /**
   * Subscribes to the change feed's wake-ups (LISTEN/NOTIFY, Supabase realtime
   * or in-process). The caller pulls `desk_events_since(seq)`, so a missed
   * wake-up loses nothing. `seq` is the appended event's seq when the transport
   * carries it, so a caller can skip wake-ups for events it already knows
   * (its own writes); undefined (a reconnect, an unknown payload) means "pull".
   * `event` is the whole appended event when the transport carries it: wake-ups
   * arrive in seq order, so a follower at seq - 1 may take it without a read.
   */
  onWake(listener: (seq?: number, event?: FeedEvent) => void): () => void;
  /** Reports the link's health, so the host can show online/offline and catch up on reconnect. */
  onLinkChange(listener: (up: boolean, detail?: string) => void): () => void;
  close(): Promise<void>;
}
