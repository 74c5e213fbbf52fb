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
  nav: { label: 'Navigation', console: 'Console', bots: 'Bots', training: 'Entraînement' },
  common: { cancel: 'Annuler', close: 'Fermer' },
  presence: {
    label: 'Présence', online: 'En ligne', busy: 'Occupé', away: 'Absent', offline: 'Hors ligne',
    capacity: 'Conversations {{current}} /', capacityLabel: 'Nombre maximal de conversations simultanées',
  },
  handoff: {
    title: 'Passer hors ligne ?', titleSignOut: 'Se déconnecter ?',
    body: 'Vous avez {{count}} conversation(s) en cours. Voulez-vous les garder ou les remettre dans la file ?',
    keep: 'Les garder', return: 'Les remettre dans la file',
  },
  queue: {
    title: 'File des conversations', empty: 'Aucune conversation ici.', high: 'Priorité haute',
    heldBy: 'Prise par {{name}}', noConversation: 'Sans conversation',
    tabs: { waiting: 'En attente', mine: 'Mes conversations', interventions: 'Interventions', deferred: 'Différées', resolved: "Résolues aujourd'hui" },
  },
  reasons: {
    user_request: 'Demande un humain', guardian_escalation: 'Escalade Guardian', technical_block: 'Blocage technique',
    stuck_order: 'Commande bloquée', payment_missing: 'Paiement manquant', negative_feedback: 'Avis négatif',
    low_confidence: 'Confiance faible', ai_uncertainty: 'IA incertaine', anti_loop: 'Boucle détectée', manual_takeover: 'Prise en main manuelle',
  },
  evidence: {
    score: 'score {{score}} < {{threshold}}', scoreOnly: 'score {{score}}', completion: '{{rate}} collecté',
    matched: 'mots : {{words}}', noProgress: '{{n}} tours sans progrès', minutes: 'depuis {{n}} min', rating: 'note {{rating}}',
  },
  wait: { now: "à l'instant", minutes: '{{n}} min', hours: '{{h}} h {{m}}', days: '{{n}} j' },
  status: { active: 'Bot actif', escalated: 'En attente', human_handling: 'Prise en charge', resolved: 'Résolue', abandoned: 'Abandonnée' },
  conversation: {
    pick: 'Choisissez une conversation dans la file (J/K pour naviguer, ? pour l’aide).', loading: 'Chargement…',
    title: 'Conversation #{{id}}', bot: 'Bot : {{name}}', escalation: 'Escalade',
  },
  actions: {
    takeOver: 'Prendre en charge', release: 'Remettre dans la file', close: 'Clôturer',
    botOn: 'Bot actif', botOff: 'Mode humain (bot coupé)',
  },
  history: {
    title: 'Historique', user: 'Client', ai: 'IA', system: 'Système', admin: 'Opérateur', you: 'Vous',
    confidence: 'Confiance {{score}}', sources: 'Sources',
  },
  delivery: { sending: 'Envoi…', queued: 'En attente de connexion', sent: 'Envoyé', failed: 'Échec', retry: 'Réessayer' },
  customer: { title: 'Client', user_id: 'Identifiant', session_id: 'Session', name: 'Nom', email: 'Email', phone: 'Téléphone' },
  order: {
    title: 'Commande : {{done}}/{{total}} collectés', photo: 'Photo', paiement: 'Paiement', zone: 'Zone', tel: 'Téléphone',
    collected: 'collecté', missing: 'manquant',
  },
  composer: {
    title: 'Réponse', label: 'Votre réponse', placeholder: 'Votre réponse… (Ctrl+Entrée pour envoyer)', send: 'Envoyer',
    templates: 'Modèles de réponse', suggestions: 'Suggestions IA', insertSuggestion: 'Insérer la suggestion {{n}}',
    noSuggestions: 'Suggestions IA indisponibles.',
    sourceKind: { learned_response: 'Réponse apprise', rag_source: 'Source', past_answer: 'Réponse passée' },
  },
  close: {
    title: 'Clôturer la conversation #{{id}}', type: 'Résolution', notes: 'Notes',
    learn: 'Créer une réponse apprise (learned_response)', question: 'Question du client', answer: 'Réponse',
    learnHint: 'Elle sera validée dans la vue Entraînement avant que l’IA ne la réutilise.', confirm: 'Clôturer',
  },
  resolution: { answered: 'Résolue — question répondue', redirected: 'Redirigée — vers un autre service', out_of_scope: 'Hors périmètre', duplicate: 'Doublon' },
  alerts: {
    open: 'Alertes', title: 'Réglages des alertes', mute: 'Couper le son', quietWhileBusy: 'Aucune alerte quand je suis occupé',
    repeat: "Répéter jusqu'à l'acquittement", test: 'Écouter', allowNotifications: 'Autoriser les notifications du navigateur',
    acknowledge: "Acquitter l'alerte",
    sound: { high: 'Son priorité haute', normal: 'Son priorité normale' },
    sounds: { chime: 'Carillon', bell: 'Cloche', alarm: 'Alarme', soft: 'Doux' },
    kind: { waiting: 'Nouvelle escalade : {{title}}', assigned: 'Conversation pour vous : {{title}}' },
  },
  help: {
    open: 'Raccourcis (?)', title: 'Raccourcis clavier', next: 'Conversation suivante', previous: 'Conversation précédente',
    takeOver: 'Prendre en charge', focusComposer: 'Aller à la réponse', send: 'Envoyer la réponse',
    insertSuggestion: 'Insérer la suggestion 1, 2 ou 3', templates: 'Choisir un modèle de réponse', close: 'Clôturer la conversation',
    help: 'Afficher cette aide', dismiss: 'Fermer la fenêtre ouverte',
    search: 'Rechercher dans les messages (même hors ligne)',
  },
  console: {
    lostRace: 'Trop tard : {{winner}} a déjà pris cette conversation.', lostRaceUnknown: 'Trop tard : un collègue a déjà pris cette conversation.',
    closed: 'Conversation clôturée.',
  },
  training: {
    title: 'Entraînement IA - Résolutions humaines', empty: 'Rien dans cette liste.',
    counts: {
      pending: 'En attente de validation', approved: 'Validées (à indexer)', indexed: 'Indexées',
      indexedThisMonth: 'Indexées ce mois', rejected: 'Rejetées', avoided: 'Escalades évitées',
    },
    tabs: { pending: 'En attente', approved: 'Validées', indexed: 'Indexées', rejected: 'Rejetées' },
    effect: { title: 'Effet par bot', bot: 'Bot', approved: 'Réponses validées', reused: 'Réutilisées', avoided: 'Escalades évitées' },
    bot: 'Agent : {{name}}', by: 'Par : {{name}}', reviewedBy: 'Revue par {{name}} le {{date}}',
    q: 'Q :', a: 'R :', question: 'Question', answer: 'Réponse',
    usage: '{{count}} escalade(s) évitée(s) depuis la validation ({{uses}} réutilisation(s))',
    similar: 'Question proche de la réponse #{{id}} ({{score}}) :',
    mergeKeep: 'Fusionner (garder la réponse existante)', mergeReplace: 'Fusionner avec cette réponse',
    approve: '✅ Valider pour entraînement', saveApprove: '✅ Enregistrer et valider', edit: 'Modifier', reject: 'Rejeter',
  },
  errors: {
    unauthorized: 'Connexion refusée : {{message}}', offline: 'Hors ligne : {{message}}', generic: 'Erreur : {{message}}',
    at_capacity: 'Capacité atteinte : {{message}}', not_allowed: 'Action non autorisée : {{message}}',
    invalid_status: 'Action impossible dans cet état : {{message}}', not_found: 'Introuvable : {{message}}',
  },
  offline: {
    search: 'Rechercher dans les messages', searchEmpty: 'Aucun message ne correspond.', searchHint: 'Recherche dans les 30 derniers jours, même hors ligne',
    pending: '{{count}} action(s) en attente d’envoi', queued: 'En attente de connexion', fromCache: 'Affiché depuis le cache local ({{when}})',
    cache: 'Cache',
    actionQueued: 'Hors ligne : c’est enregistré, ce sera envoyé dès le retour de la connexion.',
    searchResults: 'Résultats de la recherche', searchKeys: 'Ctrl+K ou / pour rechercher, ↑ ↓ puis Entrée pour ouvrir',
    rejected: {
      title: 'Action refusée à la reconnexion',
      claim: 'Prise en charge de la conversation {{id}} refusée : {{message}}',
      resolve: 'Clôture de la conversation {{id}} refusée : {{message}}',
      reply: 'Réponse non envoyée dans la conversation {{id}} : {{message}}',
      copy: 'Copier le texte', dismiss: 'J’ai compris', retry: 'Réessayer', copied: 'Texte copié',
    },
    reset: {
      corrupt: 'Le cache local était endommagé : il a été mis de côté et se reconstruit depuis la base partagée.',
      newer_version: 'Le cache local vient d’une version plus récente : il a été mis de côté et se reconstruit.',
      keptAt: 'L’ancien fichier est conservé ici : {{path}}',
    },
    settings: {
      title: 'Cache hors ligne', retention: 'Conserver les messages (jours)', maxSize: 'Taille maximale (Mo)',
      size: 'Taille actuelle : {{size}}', wipe: 'Vider le cache', wipeEverything: 'Vider aussi les réponses non envoyées et les brouillons',
      wiped: 'Cache vidé : il se remplit de nouveau.', save: 'Enregistrer', saved: 'Réglages enregistrés.',
      confirmWipe: 'Vider le cache local ? Il se remplira de nouveau depuis la base partagée.', confirm: 'Oui, vider',
      counts: '{{conversations}} conversations, {{messages}} messages',
    },
  },
};
export type Messages = typeof fr;
