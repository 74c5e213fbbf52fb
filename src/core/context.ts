import type { ConnectionState } from '../shared/domain';
import type { EventHub, Log } from './api/dispatch';
import type { Clock } from './ports/clock';
import type { SharedDb } from './ports/shared-db';
import type { Session } from './session';
import type { OfflineApi } from './sync/offline';

/** What every handler may use: the ports plus the host's session. Built once per host in createCore. */
export interface CoreContext {
  db: SharedDb;
  session: Session;
  clock: Clock;
  events: EventHub;
  log: Log;
  connection(): ConnectionState;
  /** The offline cache and outbox, when the host has a cache (see src/core/sync/offline.ts). */
  offline?: OfflineApi;
}
