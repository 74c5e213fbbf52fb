import { describe, expect, it } from 'vitest';
import { INITIAL_TRAY_STATE, badgeFor, buildTrayMenu, trayStateAfter, type TrayAction, type TrayMenuItem, type TrayState } from '../../src/main/tray-menu';
import { translator } from '../../src/main/strings';

const fr = translator('fr-FR');
const en = translator('en-US');

function menu(state: TrayState, t = en) {
  const actions: TrayAction[] = [];
  const items = buildTrayMenu(state, t, (a) => actions.push(a));
  const byId = (id: string): TrayMenuItem => {
    const found = [...items, ...items.flatMap((i) => i.submenu ?? [])].find((i) => i.id === id);
    if (!found) throw new Error(`no item ${id}`);
    return found;
  };
  return { items, actions, byId };
}

const online: TrayState = { signedIn: true, presence: { status: 'online', current: 2, max: 5 }, waiting: 7 };

describe('the tray menu', () => {
  it('offers the four presences as radio items with the current one checked', () => {
    const { items } = menu(online);
    const radios = items.filter((i) => i.type === 'radio');
    expect(radios.map((i) => i.label)).toEqual(['Online', 'Busy', 'Away', 'Offline']);
    expect(radios.filter((i) => i.checked).map((i) => i.id)).toEqual(['presence-online']);
  });

  it('shows the load against capacity and the waiting count', () => {
    const { byId } = menu(online);
    expect(byId('capacity')).toMatchObject({ label: 'Conversations: 2/5', enabled: false });
    expect(byId('waiting')).toMatchObject({ label: 'Waiting: 7', enabled: false });
  });

  it('speaks French on a French system', () => {
    const { byId } = menu(online, fr);
    expect(byId('presence-busy').label).toBe('Occupé');
    expect(byId('waiting').label).toBe('En attente : 7');
    expect(byId('quit').label).toBe('Quitter');
  });

  it('reports a presence change, but not a click on the presence already set', () => {
    const { byId, actions } = menu(online);
    byId('presence-online').click!();
    byId('presence-away').click!();
    expect(actions).toEqual([{ type: 'presence', status: 'away' }]);
  });

  it('sets the maximum capacity from a submenu that always contains the current one', () => {
    const { byId, actions } = menu({ ...online, presence: { status: 'busy', current: 1, max: 7 } });
    const sub = byId('max-capacity').submenu!;
    expect(sub.find((i) => i.checked)?.label).toBe('7');
    byId('max-3').click!();
    expect(actions).toEqual([{ type: 'capacity', max: 3 }]);
  });

  it('opens the window and quits', () => {
    const { byId, actions } = menu(online);
    byId('open').click!();
    byId('quit').click!();
    expect(actions).toEqual([{ type: 'open' }, { type: 'quit' }]);
  });

  it('signed out: no presence to set, only open and quit', () => {
    const { items } = menu({ signedIn: false, presence: null, waiting: 0 });
    expect(items.filter((i) => i.type !== 'separator').map((i) => i.id)).toEqual(['signed-out', 'open', 'quit']);
  });
});

describe('the badge', () => {
  it('counts waiting conversations in the tooltip, and shows no number when none wait', () => {
    expect(badgeFor(3, en)).toEqual({ count: 3, tooltip: 'Handoff Desk: 3 waiting' });
    expect(badgeFor(0, fr)).toEqual({ count: 0, tooltip: 'Handoff Desk' });
    expect(badgeFor(12, fr).tooltip).toBe('Handoff Desk : 12 en attente');
  });
});

describe('the tray follows the core', () => {
  it('shows presence and the waiting count once signed in, and forgets them on sign-out', () => {
    let s = INITIAL_TRAY_STATE;
    s = trayStateAfter(s, 'session.changed', { operator: { id: 'x' } });
    s = trayStateAfter(s, 'presence.changed', { status: 'busy', current: 1, max: 4 });
    s = trayStateAfter(s, 'queue.counts', { waiting: 9, mine: 1, interventions: 0 });
    expect(s).toEqual({ signedIn: true, presence: { status: 'busy', current: 1, max: 4 }, waiting: 9 });
    expect(trayStateAfter(s, 'feed.changed', { seq: 3, kinds: [] })).toBe(s);
    expect(trayStateAfter(s, 'session.changed', { operator: null })).toEqual({ signedIn: false, presence: null, waiting: 0 });
  });
});
