import type { Handlers } from './dispatch';
import type { AlertService } from '../alerts/service';

type AlertsHandlers = Pick<Handlers, 'alerts.acknowledge' | 'alerts.settings' | 'alerts.configure'>;

export function alertsHandlers(alerts: AlertService): AlertsHandlers {
  return {
    'alerts.acknowledge': async ({ id }) => ({ ok: alerts.acknowledge(id) }),
    'alerts.settings': async () => alerts.settings,
    'alerts.configure': async (patch) => alerts.configure(patch),
  };
}
