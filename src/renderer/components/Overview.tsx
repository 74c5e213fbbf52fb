import { useTranslation } from 'react-i18next';
import { useDesk } from '../state/store';

/** The workspace's bots and their queues, read through the contract and refreshed by the feed. */
export function Overview() {
  const { t } = useTranslation();
  const bots = useDesk((s) => s.bots);
  if (bots.length === 0) return <p>{t('overview.empty')}</p>;
  return (
    <section aria-labelledby="bots-title">
      <h2 id="bots-title">{t('overview.bots')}</h2>
      <ul className="bots">
        {bots.map((b) => (
          <li key={b.id} className="bot" data-testid="bot-card" data-bot-id={b.id}>
            <h3>{b.name}</h3>
            <p className="bot__kind">{t(`overview.kind.${b.kind}`, { defaultValue: b.kind })}
              {!b.human_support_enabled && <span className="badge">{t('overview.humanSupportOff')}</span>}
            </p>
            <dl className="bot__counts">
              <div><dt>{t('overview.waiting')}</dt><dd data-testid="bot-waiting">{b.waiting}</dd></div>
              <div><dt>{t('overview.inProgress')}</dt><dd>{b.in_progress}</dd></div>
              <div><dt>{t('overview.interventions')}</dt><dd>{b.interventions}</dd></div>
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}
