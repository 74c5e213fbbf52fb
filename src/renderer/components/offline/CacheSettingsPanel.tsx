import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CommandOutput } from '../../../shared/contract';
import { send } from '../../bridge/desk';
import { useOffline } from '../../state/offline';

type Status = CommandOutput<'cache.status'>;

function size(bytes: number, lang: string): string {
  const mb = bytes / 1_048_576;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: mb < 10 ? 1 : 0 }).format(mb)} MB`;
}

/** Retention, size cap and wipe (asked twice) of this desktop's offline cache. */
export function CacheSettingsPanel({ onClose }: { onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState<Status | null>(null);
  const [days, setDays] = useState('30');
  const [maxMb, setMaxMb] = useState('200');
  const [confirming, setConfirming] = useState(false);
  const [everything, setEverything] = useState(false);
  const [note, setNote] = useState<string | null>(null);

  // The fields are disabled until the current values are in, so nothing typed is overwritten by them.
  const load = async () => {
    const s = await send('cache.status', {});
    setStatus(s);
    setDays(String(s.settings.retentionDays));
    setMaxMb(String(s.settings.maxSizeMb));
  };
  useEffect(() => { void load().catch((e: Error) => setNote(t('errors.generic', { message: e.message }))); }, [t]);

  const save = async () => {
    try {
      await send('cache.settings.set', { retentionDays: Number(days), maxSizeMb: Number(maxMb) });
      await load();
      setNote(t('offline.settings.saved'));
    } catch (e) { setNote(t('errors.generic', { message: (e as Error).message })); }
  };
  const wipe = async () => {
    try {
      setStatus(await send('cache.wipe', everything ? { everything: true } : {}));
      setConfirming(false);
      setNote(t('offline.settings.wiped'));
      void useOffline.getState().refreshOutbox();
    } catch (e) { setNote(t('errors.generic', { message: (e as Error).message })); }
  };

  return (
    <div className="overlay" onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="cache-title" data-testid="cache-settings">
        <h2 id="cache-title">{t('offline.settings.title')}</h2>
        {status && (
          <p data-testid="cache-size">
            {t('offline.settings.size', { size: size(status.sizeBytes, i18n.language) })} ·{' '}
            {t('offline.settings.counts', { conversations: status.conversations, messages: status.messages })}
          </p>
        )}
        <form className="cache-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
          <label>{t('offline.settings.retention')}
            <input type="number" min={1} max={365} required autoFocus disabled={!status} data-testid="cache-retention" value={days} onChange={(e) => setDays(e.target.value)} />
          </label>
          <label>{t('offline.settings.maxSize')}
            <input type="number" min={10} max={10000} required disabled={!status} data-testid="cache-max-size" value={maxMb} onChange={(e) => setMaxMb(e.target.value)} />
          </label>
          <div className="dialog__actions"><button type="submit" disabled={!status} data-testid="cache-save">{t('offline.settings.save')}</button></div>
        </form>
        {!confirming ? (
          <button type="button" data-testid="cache-wipe" onClick={() => setConfirming(true)}>{t('offline.settings.wipe')}</button>
        ) : (
          <div className="cache-wipe" role="alertdialog" aria-labelledby="wipe-q" data-testid="cache-wipe-confirm">
            <p id="wipe-q">{t('offline.settings.confirmWipe')}</p>
            <label className="check"><input type="checkbox" checked={everything} onChange={(e) => setEverything(e.target.checked)} /> {t('offline.settings.wipeEverything')}</label>
            <div className="dialog__actions">
              <button type="button" onClick={() => setConfirming(false)}>{t('common.cancel')}</button>
              <button type="button" className="danger" data-testid="cache-wipe-yes" onClick={() => void wipe()}>{t('offline.settings.confirm')}</button>
            </div>
          </div>
        )}
        {note && <p role="status" data-testid="cache-note">{note}</p>}
        <div className="dialog__actions"><button type="button" onClick={onClose}>{t('common.close')}</button></div>
      </div>
    </div>
  );
}
