import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PresenceStatus } from '../../shared/domain';
import { PRESENCE_STATUSES } from '../../shared/values';
import { useConsole } from '../state/console';

/** Presence and capacity (current/max) in the header; the core heartbeats whatever is chosen here. */
export function PresenceControl() {
  const { t } = useTranslation();
  const presence = useConsole((s) => s.presence);
  const setPresence = useConsole((s) => s.setPresence);
  const setCapacity = useConsole((s) => s.setCapacity);
  const [max, setMax] = useState('');
  useEffect(() => { if (presence) setMax(String(presence.max)); }, [presence?.max]);

  const commitMax = () => {
    const n = Number(max);
    if (presence && Number.isInteger(n) && n >= 0 && n <= 100 && n !== presence.max) void setCapacity(n);
    else if (presence) setMax(String(presence.max));
  };

  return (
    <div className="presence">
      <label className={`presence__status presence__status--${presence?.status ?? 'offline'}`}>
        <span className="sr-only">{t('presence.label')}</span>
        <select data-testid="presence-select" aria-label={t('presence.label')} value={presence?.status ?? 'offline'}
          onChange={(e) => void setPresence(e.target.value as PresenceStatus)}>
          {PRESENCE_STATUSES.map((s) => <option key={s} value={s}>{t(`presence.${s}`)}</option>)}
        </select>
      </label>
      <label className="presence__capacity">
        <span>{t('presence.capacity', { current: presence?.current ?? 0 })}</span>
        <input data-testid="capacity-input" type="number" min={0} max={100} inputMode="numeric"
          aria-label={t('presence.capacityLabel')} value={max}
          onChange={(e) => setMax(e.target.value)} onBlur={commitMax}
          onKeyDown={(e) => { if (e.key === 'Enter') commitMax(); }} />
      </label>
    </div>
  );
}
