import { useTranslation } from 'react-i18next';
import { SHORTCUTS } from '../console/shortcuts';
import { useConsole } from '../state/console';
import { useOffline } from '../state/offline';

export function HelpOverlay() {
  const { t } = useTranslation();
  const close = () => useConsole.setState({ help: false });
  // The search box exists only with the offline cache: list its keys only then.
  const searchable = useOffline((s) => s.available);
  return (
    <div className="overlay" onClick={close}>
      <div className="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" data-testid="help-overlay"
        onClick={(e) => e.stopPropagation()}>
        <h2 id="help-title">{t('help.title')}</h2>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.filter((s) => s.action !== 'search' || searchable).map((s) => (
              <tr key={s.action}>
                <td>{s.keys.map((k) => <kbd key={k}>{k}</kbd>)}</td>
                <td>{t(`help.${s.action}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="dialog__actions"><button type="button" autoFocus onClick={close}>{t('common.close')}</button></div>
      </div>
    </div>
  );
}
