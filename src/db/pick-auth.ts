import { DeskError } from '../shared/errors';
import type { Operator } from '../shared/domain';
import type { Authenticator } from '../core/ports/auth';
import type { SharedDb } from '../core/ports/shared-db';

/**
 * Sign-in on a direct or embedded database: the host is trusted with the
 * identity it picks, from the operators the database knows.
 */
export function pickAuthenticator(db: SharedDb): Authenticator {
  return {
    method: 'pick',
    async signIn(email) {
      const ops = await db.rpc<Operator>('desk_operator_directory', {}, { kind: 'service' });
      const op = ops.find((o) => o.email.toLowerCase() === email.toLowerCase());
      if (!op) throw new DeskError('unauthorized', `no operator with the email ${email}`);
      return op.id;
    },
    async signOut() {},
  };
}
