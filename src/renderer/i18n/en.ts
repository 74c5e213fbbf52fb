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
  nav: { label: 'Navigation', console: 'Console', bots: 'Bots', training: 'Training' },
  common: { cancel: 'Cancel', close: 'Close' },
  presence: {
    label: 'Presence', online: 'Online', busy: 'Busy', away: 'Away', offline: 'Offline',
    capacity: 'Conversations {{current}} /', capacityLabel: 'Maximum simultaneous conversations',
  },
  handoff: {
    title: 'Go offline?', titleSignOut: 'Sign out?',
    body: 'You have {{count}} conversation(s) in hand. Keep them or return them to the queue?',
    keep: 'Keep them', return: 'Return them to the queue',
  },
  queue: {
    title: 'Conversation queue', empty: 'No conversations here.', high: 'High priority',
    heldBy: 'Held by {{name}}', noConversation: 'No conversation',
    tabs: { waiting: 'Waiting', mine: 'Mine', interventions: 'Interventions', deferred: 'Deferred', resolved: 'Resolved today' },
  },
  reasons: {
    user_request: 'Asked for a human', guardian_escalation: 'Guardian escalation', technical_block: 'Technical block',
    stuck_order: 'Stuck order', payment_missing: 'Payment missing', negative_feedback: 'Negative feedback',
    low_confidence: 'Low confidence', ai_uncertainty: 'AI uncertain', anti_loop: 'Loop detected', manual_takeover: 'Manual takeover',
  },
  evidence: {
    score: 'score {{score}} < {{threshold}}', scoreOnly: 'score {{score}}', completion: '{{rate}} collected',
    matched: 'words: {{words}}', noProgress: '{{n}} turns without progress', minutes: 'for {{n}} min', rating: 'rating {{rating}}',
  },
  wait: { now: 'just now', minutes: '{{n}} min', hours: '{{h}} h {{m}}', days: '{{n}} d' },
  status: { active: 'Bot active', escalated: 'Waiting', human_handling: 'Taken over', resolved: 'Resolved', abandoned: 'Abandoned' },
  conversation: {
    pick: 'Pick a conversation in the queue (J/K to move, ? for help).', loading: 'Loading…',
    title: 'Conversation #{{id}}', bot: 'Bot: {{name}}', escalation: 'Escalation',
  },
  actions: {
    takeOver: 'Take over', release: 'Return to queue', close: 'Close',
    botOn: 'Bot on', botOff: 'Human mode (bot off)',
  },
  history: {
    title: 'History', user: 'Customer', ai: 'AI', system: 'System', admin: 'Operator', you: 'You',
    confidence: 'Confidence {{score}}', sources: 'Sources',
  },
  delivery: { sending: 'Sending…', queued: 'Waiting for the connection', sent: 'Sent', failed: 'Failed', retry: 'Retry' },
  customer: { title: 'Customer', user_id: 'User id', session_id: 'Session', name: 'Name', email: 'Email', phone: 'Phone' },
  order: {
    title: 'Order: {{done}}/{{total}} collected', photo: 'Photo', paiement: 'Payment', zone: 'Zone', tel: 'Phone',
    collected: 'collected', missing: 'missing',
  },
  composer: {
    title: 'Reply', label: 'Your reply', placeholder: 'Your reply… (Ctrl+Enter to send)', send: 'Send',
    templates: 'Reply templates', suggestions: 'AI suggestions', insertSuggestion: 'Insert suggestion {{n}}',
    noSuggestions: 'AI suggestions unavailable.',
    sourceKind: { learned_response: 'Learned response', rag_source: 'Source', past_answer: 'Past answer' },
  },
  close: {
    title: 'Close conversation #{{id}}', type: 'Resolution', notes: 'Notes',
    learn: 'Create a learned response', question: "Customer's question", answer: 'Answer',
    learnHint: 'It is reviewed in the Training view before the AI reuses it.', confirm: 'Close',
  },
  resolution: { answered: 'Resolved — question answered', redirected: 'Redirected — to another team', out_of_scope: 'Out of scope', duplicate: 'Duplicate' },
  alerts: {
    open: 'Alerts', title: 'Alert settings', mute: 'Mute sounds', quietWhileBusy: 'No alerts while I am busy',
    repeat: 'Repeat until acknowledged', test: 'Play', allowNotifications: 'Allow browser notifications',
    acknowledge: 'Acknowledge the alert',
    sound: { high: 'High priority sound', normal: 'Normal priority sound' },
    sounds: { chime: 'Chime', bell: 'Bell', alarm: 'Alarm', soft: 'Soft' },
    kind: { waiting: 'New escalation: {{title}}', assigned: 'Conversation for you: {{title}}' },
  },
  help: {
    open: 'Shortcuts (?)', title: 'Keyboard shortcuts', next: 'Next conversation', previous: 'Previous conversation',
    takeOver: 'Take over', focusComposer: 'Go to the reply box', send: 'Send the reply',
    insertSuggestion: 'Insert suggestion 1, 2 or 3', templates: 'Pick a reply template', close: 'Close the conversation',
    help: 'Show this help', dismiss: 'Close the open dialog',
    search: 'Search the messages (offline too)',
  },
  console: {
    lostRace: 'Too late: {{winner}} already took this conversation.', lostRaceUnknown: 'Too late: a colleague already took this conversation.',
    closed: 'Conversation closed.',
  },
  training: {
    title: 'AI training - human resolutions', empty: 'Nothing in this list.',
    counts: {
      pending: 'Awaiting validation', approved: 'Validated (to index)', indexed: 'Indexed',
      indexedThisMonth: 'Indexed this month', rejected: 'Rejected', avoided: 'Escalations avoided',
    },
    tabs: { pending: 'Pending', approved: 'Validated', indexed: 'Indexed', rejected: 'Rejected' },
    effect: { title: 'Effect per bot', bot: 'Bot', approved: 'Validated answers', reused: 'Reused', avoided: 'Escalations avoided' },
    bot: 'Agent: {{name}}', by: 'By: {{name}}', reviewedBy: 'Reviewed by {{name}} on {{date}}',
    q: 'Q:', a: 'A:', question: 'Question', answer: 'Answer',
    usage: '{{count}} escalation(s) avoided since validation ({{uses}} reuse(s))',
    similar: 'Close to answer #{{id}} ({{score}}):',
    mergeKeep: 'Merge (keep the existing answer)', mergeReplace: 'Merge with this answer',
    approve: '✅ Validate for training', saveApprove: '✅ Save and validate', edit: 'Edit', reject: 'Reject',
  },
  errors: {
    unauthorized: 'Sign-in refused: {{message}}', offline: 'Offline: {{message}}', generic: 'Error: {{message}}',
    at_capacity: 'At capacity: {{message}}', not_allowed: 'Not allowed: {{message}}',
    invalid_status: 'Not possible in this state: {{message}}', not_found: 'Not found: {{message}}',
  },
  offline: {
    search: 'Search messages', searchEmpty: 'No message matches.', searchHint: 'Searches the last 30 days, even offline',
    pending: '{{count}} action(s) waiting to be sent', queued: 'Waiting for the connection', fromCache: 'Shown from the local cache ({{when}})',
    cache: 'Cache',
    actionQueued: 'Offline: saved, it will be sent as soon as the connection is back.',
    searchResults: 'Search results', searchKeys: 'Ctrl+K or / to search, ↑ ↓ then Enter to open',
    rejected: {
      title: 'Action refused on reconnect',
      claim: 'Take-over of conversation {{id}} refused: {{message}}',
      resolve: 'Closing conversation {{id}} refused: {{message}}',
      reply: 'Reply not sent in conversation {{id}}: {{message}}',
      copy: 'Copy the text', dismiss: 'Got it', retry: 'Try again', copied: 'Text copied',
    },
    reset: {
      corrupt: 'The local cache was damaged: it was set aside and is being rebuilt from the shared database.',
      newer_version: 'The local cache came from a newer version: it was set aside and is being rebuilt.',
      keptAt: 'The old file is kept here: {{path}}',
    },
    settings: {
      title: 'Offline cache', retention: 'Keep messages (days)', maxSize: 'Maximum size (MB)',
      size: 'Current size: {{size}}', wipe: 'Wipe the cache', wipeEverything: 'Also drop unsent replies and drafts',
      wiped: 'Cache wiped: it is filling again.', save: 'Save', saved: 'Settings saved.',
      confirmWipe: 'Wipe the local cache? It fills again from the shared database.', confirm: 'Yes, wipe it',
      counts: '{{conversations}} conversations, {{messages}} messages',
    },
  },
};
