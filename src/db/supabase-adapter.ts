import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { DeskError } from '../shared/errors';
import type { Authenticator } from '../core/ports/auth';
import type { Identity, SharedDb } from '../core/ports/shared-db';
import { wakeupOfRow, type Wakeup } from './feed-wakeup';
import { Listeners } from './listeners';

/**
 * Supabase: the operator signs in with a password, PostgREST verifies the
 * JWT, and RLS plus the SQL functions' own checks are the security boundary.
 * Realtime INSERTs on desk_events are the wake-up; every SUBSCRIBED triggers
 * a catch-up through the link listeners.
 */
export class SupabaseSharedDb implements SharedDb {
  readonly kind = 'supabase' as const;
  readonly client: SupabaseClient;
  private wake = new Listeners<Wakeup>();
  private link = new Listeners<[boolean, string | undefined]>();
  private channel: ReturnType<SupabaseClient['channel']> | null = null;
  private userId: string | null = null;

  constructor(url: string, anonKey: string) {
    this.client = createClient(url, anonKey, {
      auth: { persistSession: false, autoRefreshToken: true },
      realtime: { transport: WebSocket as never },
    });
  }

  authenticator(): Authenticator {
    return {
      method: 'password',
      signIn: async (email, password) => {
        if (!password) throw new DeskError('unauthorized', 'a password is required');
        const { data, error } = await this.client.auth.signInWithPassword({ email, password });
        if (error || !data.user) throw new DeskError('unauthorized', error?.message ?? 'sign-in failed');
        this.userId = data.user.id;
        this.subscribe();
        return data.user.id;
      },
      signOut: async () => {
        this.userId = null;
        await this.client.auth.signOut();
      },
    };
  }

  async rpc<T>(fn: string, args: Record<string, unknown>, as: Identity): Promise<T[]> {
    // The JWT decides who is calling; refuse a mismatch rather than act as someone else.
    if (as.kind !== 'operator' || as.operatorId !== this.userId) {
      throw new DeskError('unauthorized', 'Supabase calls run as the signed-in operator only');
    }
    const { data, error } = await this.client.rpc(fn, args);
    // PostgREST passes the function's message through, so its code word maps like a direct call's.
    if (error) throw new Error(error.message);
    return rowsOf<T>(data);
  }

  private subscribe(): void {
    if (this.channel) return;
    this.channel = this.client
      .channel('desk-feed')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'desk_events' }, (p) => this.wake.emit(...wakeupOfRow(p.new)))
      .subscribe((status, err) => {
        // Every (re)subscription may have missed inserts: the link-up makes the sync layer catch up.
        if (status === 'SUBSCRIBED') { this.link.emit(true, undefined); this.wake.emit(); }
        else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT' || status === 'CLOSED') this.link.emit(false, err?.message ?? status);
      });
  }

  onWake(listener: (...wakeup: Wakeup) => void): () => void { return this.wake.add(listener); }
  onLinkChange(listener: (up: boolean, detail?: string) => void): () => void { return this.link.add(listener); }

  async close(): Promise<void> {
    if (this.channel) await this.client.removeChannel(this.channel);
    this.client.realtime.disconnect();
  }
}

/**
 * PostgREST returns a set as an array, one composite as an object and a
 * scalar or void as the bare value or null. The direct adapters return one
 * JSON value per row (`[null]` for a null scalar or void), so normalise to that.
 */
export function rowsOf<T>(data: unknown): T[] {
  if (Array.isArray(data)) return data as T[];
  return [(data ?? null) as T];
}
