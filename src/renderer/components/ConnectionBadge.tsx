import { useTranslation } from 'react-i18next';
import { useOffline } from '../state/offline';
import { useDesk } from '../state/store';

/** Always visible: how the console is connected, since when it is not, and what still waits to be sent. */
export function ConnectionBadge() {
  const { t, i18n } = useTranslation();
  const hostUp = useDesk((s) => s.hostUp);
  const connection = useDesk((s) => s.session?.connection);
  const pending = useOffline((s) => s.counts.pending);
  const status = !hostUp ? 'offline' : connection?.status ?? 'syncing';
  // Formatted only when shown: the first Intl call of a fresh page costs more than the first render.
  const label = !hostUp
    ? t('connection.hostLost')
    : status === 'offline' && connection
      ? t('connection.offline', { since: new Date(connection.since).toLocaleTimeString(i18n.language) })
      : t(`connection.${status}`);
  return (
    <div className={`connection connection--${status}`} data-testid="connection-state" data-state={status} data-pending={pending}
      role="status" aria-live="polite" title={connection?.detail}>
      <span className="connection__dot" aria-hidden="true" />
      <span>{label}</span>
      {connection && <span className="connection__kind">{t(`connection.kind.${connection.kind}`)}</span>}
      {pending > 0 && <span className="connection__pending" data-testid="outbox-pending" data-count={pending}
        title={t('offline.pending', { count: pending })} aria-label={t('offline.pending', { count: pending })}>{pending}</span>}
    </div>
  );
}
