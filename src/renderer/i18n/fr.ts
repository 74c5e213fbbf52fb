/** French is the seeds' language and the reference: every key exists here first. */
export const fr = {
  app: { title: 'Handoff Desk', language: 'Langue' },
  connection: {
    online: 'En ligne', syncing: 'Synchronisation…', offline: 'Hors ligne depuis {{since}}',
    hostLost: 'Console déconnectée de son hôte',
    kind: { embedded: 'Base intégrée', postgres: 'Postgres', supabase: 'Supabase' },
  },
  signIn: {
    title: 'Connexion opérateur', email: 'Email', password: 'Mot de passe', submit: 'Se connecter',
    pick: 'Choisissez votre profil', signedInAs: 'Connecté : {{name}}', signOut: 'Se déconnecter',
  },
  roles: { operator: 'Opérateur', supervisor: 'Superviseur', admin: 'Administrateur' },
  overview: {
    bots: 'Bots', waiting: 'En attente', inProgress: 'En cours', interventions: 'Interventions',
    humanSupportOff: 'Support humain désactivé', empty: 'Aucun bot dans cet espace.',
    kind: { rag_support: 'Support (RAG)', order_taking: 'Prise de commande', booking: 'Réservation', crm: 'CRM' },
  },
  errors: {
    unauthorized: 'Connexion refusée : {{message}}', offline: 'Hors ligne : {{message}}', generic: 'Erreur : {{message}}',
  },
};
export type Messages = typeof fr;
