import { useTranslation } from 'react-i18next';
import { useDesk } from '../state/store';

/** Always visible: how the console is connected, and since when it is not. */
export function ConnectionBadge() {
  const { t, i18n } = useTranslation();
  const hostUp = useDesk((s) => s.hostUp);
  const connection = useDesk((s) => s.session?.connection);
  const status = !hostUp ? 'offline' : connection?.status ?? 'syncing';
  const since = connection ? new Date(connection.since).toLocaleTimeString(i18n.language) : '';
  const label = !hostUp
    ? t('connection.hostLost')
    : status === 'offline' ? t('connection.offline', { since }) : t(`connection.${status}`);
  return (
    <div className={`connection connection--${status}`} data-testid="connection-state" data-state={status}
      role="status" aria-live="polite" title={connection?.detail}>
      <span className="connection__dot" aria-hidden="true" />
      <span>{label}</span>
      {connection && <span className="connection__kind">{t(`connection.kind.${connection.kind}`)}</span>}
    </div>
  );
}
