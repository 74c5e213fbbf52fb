import { useTranslation } from 'react-i18next';
import { useConsole } from '../state/console';
import { ConversationView } from './lazy';
import { Overview } from './Overview';

/** The console's right side: the open conversation (loaded apart), or with none open the workspace at a glance. */
export function ConversationPane() {
  const { t } = useTranslation();
  const selectedId = useConsole((s) => s.selectedId);
  if (selectedId === null) return <section className="conv conv--empty"><p>{t('conversation.pick')}</p><Overview /></section>;
  return <ConversationView fallback={<section className="conv"><p>{t('conversation.loading')}</p></section>} />;
}
