import type { Handlers } from './dispatch';
import type { PresenceService } from '../presence';

type PresenceHandlers = Pick<Handlers, 'presence.get' | 'presence.set'>;

export function presenceHandlers(presence: PresenceService): PresenceHandlers {
  return {
    'presence.get': async () => presence.read(),
    'presence.set': async (input) => presence.set(input),
  };
}
