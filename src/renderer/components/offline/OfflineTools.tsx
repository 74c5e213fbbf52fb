import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { subscribeOffline, useOffline } from '../../state/offline';
import { CacheSettingsPanel } from './CacheSettingsPanel';
import { SearchBox } from './SearchBox';

/** The header's offline part: search over the cache and its settings. Loads the cache's state and follows its events. */
export function OfflineTools() {
  const { t } = useTranslation();
  const available = useOffline((s) => s.available);
  const [settings, setSettings] = useState(false);
  useEffect(() => {
    const off = subscribeOffline();
    void useOffline.getState().load();
    return off;
  }, []);
  if (!available) return null;
  return (
    <span className="offline-tools">
      <SearchBox />
      <button type="button" data-testid="open-cache-settings" title={t('offline.settings.title')}
        onClick={() => setSettings(true)}>{t('offline.cache')}</button>
      {settings && <CacheSettingsPanel onClose={() => setSettings(false)} />}
    </span>
  );
}
