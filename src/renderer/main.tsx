import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createWsBridge, hostSocketUrl } from './bridge/ws-bridge';
import { setupI18n } from './i18n';
import { enableWebNotifications } from './console/alerts';
import { prefetchWaiting } from './state/console';

// In Electron the preload has already exposed window.desk; in a browser the page talks to `desk serve`.
if (!window.desk) {
  window.desk = createWsBridge(hostSocketUrl(window.location));
  // No Electron main process here to show native notifications: the page shows Web Notifications itself.
  enableWebNotifications(true);
}

prefetchWaiting();
setupI18n();
createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
