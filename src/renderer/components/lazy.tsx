import { lazy, Suspense, type ComponentProps, type ComponentType, type ReactNode } from 'react';

/**
 * What the first screen does not need (the open conversation, dialogs,
 * panels) loads apart from the queue, so the console's first chunk is small.
 * Each loader is kept so `prefetchLater` can warm them all once the queue
 * is on screen: opening a conversation then waits for no download.
 */
const loaders = {
  ConversationView: () => import('./ConversationView').then((m) => m.ConversationView),
  HelpOverlay: () => import('./HelpOverlay').then((m) => m.HelpOverlay),
  AlertSettingsPanel: () => import('./AlertSettingsPanel').then((m) => m.AlertSettingsPanel),
  CacheSettingsPanel: () => import('./offline/CacheSettingsPanel').then((m) => m.CacheSettingsPanel),
  HandoffDialog: () => import('./HandoffDialog').then((m) => m.HandoffDialog),
};

function deferred<P extends object>(load: () => Promise<ComponentType<P>>) {
  const Loaded = lazy(async () => ({ default: await load() }));
  return function Deferred(props: P & { fallback?: ReactNode }) {
    const { fallback = null, ...rest } = props;
    return <Suspense fallback={fallback}><Loaded {...(rest as unknown as ComponentProps<typeof Loaded>)} /></Suspense>;
  };
}

export const ConversationView = deferred(loaders.ConversationView);
export const HelpOverlay = deferred(loaders.HelpOverlay);
export const AlertSettingsPanel = deferred(loaders.AlertSettingsPanel);
export const CacheSettingsPanel = deferred(loaders.CacheSettingsPanel);
export const HandoffDialog = deferred(loaders.HandoffDialog);

let prefetched = false;

/** Once the first screen has painted and the page is idle, load the deferred parts in the background (once). */
export function prefetchLater(): void {
  if (prefetched) return;
  prefetched = true;
  const run = () => { for (const load of Object.values(loaders)) void load().catch(() => undefined); };
  if (typeof requestIdleCallback === 'function') requestIdleCallback(run, { timeout: 2_000 });
  else setTimeout(run, 500);
}
