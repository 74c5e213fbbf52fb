import type { AlertSettings } from '../../shared/api/alerts';
import { send } from '../bridge/desk';
import { useConsole } from '../state/console';

const STORAGE_KEY = 'desk.alerts';

/** The operator's alert choices live in this window's storage and are handed to the core at start. */
export async function restoreAlertSettings(): Promise<void> {
  let saved: Partial<AlertSettings> = {};
  try { saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as Partial<AlertSettings>; } catch { saved = {}; }
  try {
    const s = await send('alerts.configure', saved);
    useConsole.setState({ alertSettings: s });
  } catch {
    useConsole.setState({ alertSettings: await send('alerts.settings', {}).catch(() => null) });
  }
}

/** A change made in the settings panel: the core applies it, this window remembers it. */
export async function changeAlertSettings(patch: Partial<AlertSettings>): Promise<void> {
  const next = await send('alerts.configure', patch);
  localStorage.setItem(STORAGE_KEY, JSON.stringify(next));
  useConsole.setState({ alertSettings: next });
}
