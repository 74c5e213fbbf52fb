// Kept apart from wire.ts so the sandboxed preload bundles two strings, not zod.
export const IPC_INVOKE = 'desk:invoke';
export const IPC_EVENT = 'desk:event';
