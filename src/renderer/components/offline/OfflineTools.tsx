import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useOffline } from '../../state/offline';
import { CacheSettingsPanel } from '../lazy';
import { SearchBox } from './SearchBox';

/** The console bar's offline part: search over the cache (Ctrl+K or / from anywhere in the console) and the cache's settings. */
export function OfflineTools() {
  const { t } = useTranslation();
  const available = useOffline((s) => s.available);
  const [settings, setSettings] = useState(false);
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
