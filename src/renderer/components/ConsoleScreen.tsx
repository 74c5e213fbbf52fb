import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { bridge } from '../bridge/desk';
import { restoreAlertSettings } from '../console/alert-settings';
import { presentAlert } from '../console/alerts';
import { useDraft } from '../console/draft';
import { actionFor } from '../console/shortcuts';
import { onConnectionChanged, onFeedChanged, onQueueChanged, useConsole } from '../state/console';
import { useDesk } from '../state/store';
import { ConversationPane } from './ConversationPane';
import { AlertSettingsPanel, HelpOverlay, prefetchLater } from './lazy';
import { OfflineTools } from './offline/OfflineTools';
import { QueuePanel } from './QueuePanel';

function runShortcut(e: KeyboardEvent): void {
  const { action, n } = actionFor(e);
  const s = useConsole.getState();
  const handled = () => e.preventDefault();
  switch (action) {
    case 'next': handled(); s.move(1); break;
    case 'previous': handled(); s.move(-1); break;
    case 'takeOver': handled(); void s.claim(); break;
    case 'focusComposer': handled(); useDraft.getState().focus(); break;
    case 'insertSuggestion': if (useDraft.getState().insertSuggestion(n ?? 0)) handled(); break;
    case 'templates': handled(); document.getElementById('template-select')?.focus(); break;
    case 'close': if (s.detail?.conversation.status === 'human_handling') { handled(); useConsole.setState({ closing: true }); } break;
    case 'help': handled(); useConsole.setState({ help: !s.help }); break;
    case 'dismiss': useConsole.setState({ help: false, closing: false, handoffFor: null }); break;
    default: break;
  }
}

/** The operator's working screen: the queue on the left, the open conversation on the right, alerts and shortcuts. */
export function ConsoleScreen() {
  const { t } = useTranslation();
  const notice = useConsole((s) => s.notice);
  const help = useConsole((s) => s.help);
  const [settings, setSettings] = useState(false);

  useEffect(() => {
    const s = useConsole.getState();
    // The deferred parts and the bots' overview (an expensive read) come once the queue is read, not while
    // it is: they would compete with it. The list may be on screen already (boot data) and reading more of
    // itself: that read will do.
    void s.refreshQueue({ join: true }).finally(() => { prefetchLater(); void useDesk.getState().refreshOverview(); });
    void s.loadPresence();
    void restoreAlertSettings();
    const desk = bridge();
    const offs = [
      desk.on('feed.changed', ({ kinds }) => onFeedChanged(kinds)),
      desk.on('queue.changed', (changes) => onQueueChanged(changes)),
      // Changes made while the window was cut from its host were never patched in: read the tab again.
      // (A read under way then was sent after the link came up: it sees those changes too.)
      desk.on('host.link', ({ up }) => { if (up) void useConsole.getState().refreshQueue({ join: true }); }),
      desk.on('connection.changed', ({ status }) => onConnectionChanged(status)),
      desk.on('presence.changed', (presence) => useConsole.setState({ presence })),
      desk.on('alert.raised', (alert) => {
        useConsole.setState({ lastAlert: alert });
        const title = t(`alerts.kind.${alert.kind}`, { title: alert.title });
        presentAlert(alert, title, (id) => void useConsole.getState().select(id));
      }),
    ];
    window.addEventListener('keydown', runShortcut);
    return () => { offs.forEach((off) => off()); window.removeEventListener('keydown', runShortcut); };
  }, [t]);

  const lastAlert = useConsole((s) => s.lastAlert);

  return (
    <div className="console">
      <div className="console__bar">
        {notice && (
          <div className={`notice notice--${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="console-notice">
            {t(notice.key, notice.values)}
            <button type="button" aria-label={t('common.close')} onClick={() => useConsole.getState().setNotice(null)}>×</button>
          </div>
        )}
        {lastAlert && (
          <div className="notice notice--alert" role="status" data-testid="alert-banner">
            <button type="button" className="linkish" onClick={() => {
              void useConsole.getState().select(lastAlert.conversationId);
              void bridge().invoke('alerts.acknowledge', { id: lastAlert.id });
              useConsole.setState({ lastAlert: null });
            }}>{t(`alerts.kind.${lastAlert.kind}`, { title: lastAlert.title })}</button>
            <span className="notice__body">{lastAlert.body}</span>
            <button type="button" aria-label={t('alerts.acknowledge')} onClick={() => {
              void bridge().invoke('alerts.acknowledge', { id: lastAlert.id });
              useConsole.setState({ lastAlert: null });
            }}>×</button>
          </div>
        )}
        <span className="console__tools">
          <OfflineTools />
          <button type="button" data-testid="open-alert-settings" onClick={() => setSettings(true)}>{t('alerts.open')}</button>
          <button type="button" data-testid="open-help" aria-keyshortcuts="?" onClick={() => useConsole.setState({ help: true })}>{t('help.open')}</button>
        </span>
      </div>
      <div className="console__grid">
        <QueuePanel />
        <ConversationPane />
      </div>
      {help && <HelpOverlay />}
      {settings && <AlertSettingsPanel onClose={() => setSettings(false)} />}
    </div>
  );
}
