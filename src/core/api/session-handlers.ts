import { BotSummarySchema, OperatorSchema } from '../../shared/domain';
import type { Session as SessionData } from '../../shared/api/session';
import type { Handlers } from './dispatch';
import type { CoreContext } from '../context';

type SessionHandlers = Pick<Handlers,
  'session.get' | 'session.signIn' | 'session.signOut' | 'session.operators' | 'workspace.overview'>;

export function sessionHandlers(ctx: CoreContext): SessionHandlers {
  const snapshot = (): SessionData => ({
    operator: ctx.session.operator,
    signIn: ctx.session.method,
    connection: ctx.connection(),
  });
  return {
    'session.get': async () => snapshot(),
    'session.signIn': async ({ email, password }) => {
      await ctx.session.signIn(email, password);
      return snapshot();
    },
    'session.signOut': async () => {
      await ctx.session.signOut();
      return snapshot();
    },
    'session.operators': async () => {
      if (ctx.session.method !== 'pick') return [];
      const rows = await ctx.db.rpc('desk_operator_directory', {}, { kind: 'service' });
      return rows.map((r) => OperatorSchema.parse(r));
    },
    'workspace.overview': async () => {
      const { as } = ctx.session.require();
      const rows = await ctx.db.rpc('desk_overview', {}, as);
      return { bots: rows.map((r) => BotSummarySchema.parse(r)) };
    },
  };
}
