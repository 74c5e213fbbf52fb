import { DeskError } from '../shared/errors';
import { OperatorSchema, type Operator } from '../shared/domain';
import type { Authenticator } from './ports/auth';
import type { Identity, SharedDb } from './ports/shared-db';

/** Who is signed in on this host; one host serves one operator, as one desktop does. */
export class Session {
  private current: Operator | null = null;
  private listeners = new Set<(op: Operator | null) => void>();

  constructor(private db: SharedDb, private auth: Authenticator) {}

  get operator(): Operator | null { return this.current; }
  get method(): Authenticator['method'] { return this.auth.method; }

  identity(): Identity | null {
    return this.current ? { kind: 'operator', operatorId: this.current.id } : null;
  }

  /** The identity of the signed-in operator, or a typed error for commands that need one. */
  require(): { operator: Operator; as: Identity } {
    if (!this.current) throw new DeskError('unauthorized', 'sign in first');
    return { operator: this.current, as: { kind: 'operator', operatorId: this.current.id } };
  }

  async signIn(email: string, password?: string): Promise<Operator> {
    const id = await this.auth.signIn(email, password);
    const [row] = await this.db.rpc('desk_whoami', {}, { kind: 'operator', operatorId: id });
    const op = OperatorSchema.parse(row);
    this.current = op;
    for (const l of this.listeners) l(op);
    return op;
  }

  async signOut(): Promise<void> {
    await this.auth.signOut();
    this.current = null;
    for (const l of this.listeners) l(null);
  }

  onChange(listener: (op: Operator | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
