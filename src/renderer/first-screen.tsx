/**
 * The console's first screen rendered to HTML, for the browser host to write
 * into the page (built apart for Node by first-screen.vite.config.ts). The
 * operator then sees the queue as soon as the page arrives, not once the
 * scripts have been fetched, compiled and run; the page's own first render
 * takes the markup over, patching it in place.
 *
 * It renders the very components the page renders, from the same boot data,
 * so the two agree. Nothing here runs effects or touches the DOM.
 */
import { createInstance, type i18n as I18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { renderToString } from 'preact-render-to-string';
import type { VNode } from 'preact';
import type { StoreApi } from 'zustand';
import type { FirstScreen } from '../shared/boot';
import type { Language } from '../shared/language';
import { App } from './App';
import { i18nOptions } from './i18n';
import { useConsole, waitingState } from './state/console';
import { useDesk } from './state/store';

const translators = new Map<Language, I18n>();

function translator(lng: Language): I18n {
  let t = translators.get(lng);
  if (!t) {
    t = createInstance(i18nOptions(lng));
    void t.init();
    translators.set(lng, t);
  }
  return t;
}

/**
 * Runs `render` with `state` laid over a store's initial state. A server
 * render reads a store's server snapshot, and zustand takes that from the
 * initial state; these stores are this bundle's own, and the render is
 * synchronous, so nothing else sees the overlay before it is undone.
 */
function withInitial<T extends object, R>(store: StoreApi<T>, state: Partial<T>, render: () => R): R {
  const initial = store.getInitialState();
  const saved: Partial<T> = {};
  for (const key of Object.keys(state) as Array<keyof T>) saved[key] = initial[key];
  Object.assign(initial, state);
  try {
    return render();
  } finally {
    Object.assign(initial, saved);
  }
}

/** Only a signed-in operator's console with its first page of Waiting is painted ahead; anything else waits for the scripts. */
export const renderFirstScreen: FirstScreen = (boot, lng) => {
  const waiting = boot.waiting;
  if (!boot.session.operator || !waiting) return null;
  return withInitial(useDesk, { session: boot.session }, () =>
    withInitial(useConsole, waitingState(waiting.page, waiting.limit), () =>
      renderToString(<I18nextProvider i18n={translator(lng)}><App /></I18nextProvider> as unknown as VNode)));
};
