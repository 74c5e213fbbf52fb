import type { Messages } from './fr';

export const en: Messages = {
  app: { title: 'Handoff Desk', language: 'Language' },
  connection: {
    online: 'Online', syncing: 'Syncing…', offline: 'Offline since {{since}}',
    hostLost: 'Console disconnected from its host',
    kind: { embedded: 'Embedded database', postgres: 'Postgres', supabase: 'Supabase' },
  },
  signIn: {
    title: 'Operator sign-in', email: 'Email', password: 'Password', submit: 'Sign in',
    pick: 'Choose your profile', signedInAs: 'Signed in: {{name}}', signOut: 'Sign out',
  },
  roles: { operator: 'Operator', supervisor: 'Supervisor', admin: 'Administrator' },
  overview: {
    bots: 'Bots', waiting: 'Waiting', inProgress: 'In progress', interventions: 'Interventions',
    humanSupportOff: 'Human support off', empty: 'No bots in this workspace.',
    kind: { rag_support: 'Support (RAG)', order_taking: 'Order taking', booking: 'Booking', crm: 'CRM' },
  },
  errors: {
    unauthorized: 'Sign-in refused: {{message}}', offline: 'Offline: {{message}}', generic: 'Error: {{message}}',
  },
};
