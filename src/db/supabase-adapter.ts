import { createClient, type SupabaseClient } from '@supabase/supabase-js';
import WebSocket from 'ws';
import { DeskError } from '../shared/errors';
import type { Authenticator } from '../core/ports/auth';
import type { Identity, SharedDb } from '../core/ports/shared-db';
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
  private wake = new Listeners<[]>();
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
    if (error) throw new Error(error.message);
    if (data === null || data === undefined) return [];
    return (Array.isArray(data) ? data : [data]) as T[];
  }

  private subscribe(): void {
    if (this.channel) return;
    this.channel = this.client
      .channel('desk-feed')
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: 'desk_events' }, () => this.wake.emit())
      .subscribe((status, err) => {
        if (status === 'SUBSCRIBED') this.link.emit(true, undefined);
        else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT' || status === 'CLOSED') this.link.emit(false, err?.message ?? status);
      });
  }

  onWake(listener: () => void): () => void { return this.wake.add(listener); }
  onLinkChange(listener: (up: boolean, detail?: string) => void): () => void { return this.link.add(listener); }

  async close(): Promise<void> {
    if (this.channel) await this.client.removeChannel(this.channel);
    this.client.realtime.disconnect();
  }
}
