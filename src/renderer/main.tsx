import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { takeBootData } from './bridge/boot';
import { createWsBridge, hostSocketUrl } from './bridge/ws-bridge';
import { setupI18n } from './i18n';
import { enableWebNotifications } from './console/alerts';
import { adoptWaiting, prefetchWaiting } from './state/console';
import { useDesk } from './state/store';

// In Electron the preload has already exposed window.desk; in a browser the page talks to `desk serve`.
if (!window.desk) {
  window.desk = createWsBridge(hostSocketUrl(window.location));
  // No Electron main process here to show native notifications: the page shows Web Notifications itself.
  enableWebNotifications(true);
}

// The browser host wrote the session and the first page of Waiting into the page: the first render shows them.
const boot = takeBootData();
if (boot) {
  useDesk.setState({ session: boot.session });
  if (boot.waiting) adoptWaiting(boot.waiting.page, boot.waiting.limit);
} else {
  prefetchWaiting();
}
setupI18n();
createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
