import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AlertSettings } from '../../shared/api/alerts';
import { ALERT_SOUNDS } from '../../shared/values';
import { changeAlertSettings, restoreAlertSettings } from '../console/alert-settings';
import { askNotificationPermission, notificationPermission, webNotificationsEnabled } from '../console/alerts';
import { playSound } from '../console/sounds';
import { useConsole } from '../state/console';

export function AlertSettingsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const settings = useConsole((s) => s.alertSettings);
  const [permission, setPermission] = useState(notificationPermission());
  useEffect(() => { if (!settings) void restoreAlertSettings(); }, [settings]);
  if (!settings) return null;

  return (
    <div className="overlay" onKeyDown={(e) => { if (e.key === 'Escape') onClose(); }}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="alerts-title" data-testid="alert-settings">
        <h2 id="alerts-title">{t('alerts.title')}</h2>
        <label className="check"><input type="checkbox" autoFocus data-testid="alerts-mute" checked={settings.muted}
          onChange={(e) => void changeAlertSettings({ muted: e.target.checked })} /> {t('alerts.mute')}</label>
        <label className="check"><input type="checkbox" data-testid="alerts-quiet-busy" checked={settings.quietWhileBusy}
          onChange={(e) => void changeAlertSettings({ quietWhileBusy: e.target.checked })} /> {t('alerts.quietWhileBusy')}</label>
        <label className="check"><input type="checkbox" data-testid="alerts-repeat" checked={settings.repeat}
          onChange={(e) => void changeAlertSettings({ repeat: e.target.checked })} /> {t('alerts.repeat')}</label>
        {(['high', 'normal'] as const).map((p) => (
          <div key={p} className="row">
            <label>{t(`alerts.sound.${p}`)}
              <select value={settings.sounds[p]} onChange={(e) => void changeAlertSettings({ sounds: { ...settings.sounds, [p]: e.target.value as AlertSettings['sounds']['high'] } })}>
                {ALERT_SOUNDS.map((s) => <option key={s} value={s}>{t(`alerts.sounds.${s}`)}</option>)}
              </select>
            </label>
            <button type="button" onClick={() => playSound(settings.sounds[p])}>{t('alerts.test')}</button>
          </div>
        ))}
        {webNotificationsEnabled() && permission !== 'granted' && permission !== 'unsupported' && (
          <button type="button" onClick={() => void askNotificationPermission().then(setPermission)}>{t('alerts.allowNotifications')}</button>
        )}
        <div className="dialog__actions"><button type="button" onClick={onClose}>{t('common.close')}</button></div>
      </div>
    </div>
  );
}
