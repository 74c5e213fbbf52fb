import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_SETTINGS, routeAlert, type RouteInput } from '../../src/core/alerts/route';

const ME = '00000000-0000-4000-8000-000000000002';
const OTHER = '00000000-0000-4000-8000-000000000001';
const waiting = { id: 7, lane: 'waiting', status: 'escalated', assigned_admin_id: null, priority: 'normal' as const };
const mine = { id: 8, lane: 'assigned', status: 'human_handling', assigned_admin_id: ME, priority: 'high' as const };

const input = (over: Partial<RouteInput> = {}): RouteInput => ({
  item: waiting, me: { id: ME, presence: 'online' }, settings: DEFAULT_ALERT_SETTINGS, claimedHere: false, ...over,
});

describe('alert routing', () => {
  it('alerts an online operator about a waiting escalation, with the normal sound', () => {
    expect(routeAlert(input())).toEqual({ alert: true, kind: 'waiting', priority: 'normal', sound: 'chime', repeat: false });
  });

  it('uses a distinct sound for high priority', () => {
    const d = routeAlert(input({ item: { ...waiting, priority: 'high' } }));
    expect(d).toMatchObject({ alert: true, sound: 'alarm' });
  });

  it('alerts about an escalation routed to me, but not when I took it myself', () => {
    expect(routeAlert(input({ item: mine }))).toMatchObject({ alert: true, kind: 'assigned', priority: 'high' });
    expect(routeAlert(input({ item: mine, claimedHere: true }))).toEqual({ alert: false, why: 'claimed_here' });
  });

  it('stays silent about conversations a colleague holds, and when away or offline', () => {
    expect(routeAlert(input({ item: { ...mine, assigned_admin_id: OTHER } }))).toEqual({ alert: false, why: 'not_for_me' });
    expect(routeAlert(input({ me: { id: ME, presence: 'away' } }))).toEqual({ alert: false, why: 'absent' });
    expect(routeAlert(input({ me: { id: ME, presence: 'offline' }, item: mine }))).toEqual({ alert: false, why: 'absent' });
  });

  it('sends no alerts while busy when asked; otherwise only my own conversations alert while busy', () => {
    const busy = { id: ME, presence: 'busy' as const };
    expect(routeAlert(input({ me: busy }))).toEqual({ alert: false, why: 'busy' });
    expect(routeAlert(input({ me: busy, item: mine }))).toEqual({ alert: false, why: 'busy' });
    const loud = { ...DEFAULT_ALERT_SETTINGS, quietWhileBusy: false };
    expect(routeAlert(input({ me: busy, item: mine, settings: loud }))).toMatchObject({ alert: true, kind: 'assigned' });
    expect(routeAlert(input({ me: busy, settings: loud }))).toEqual({ alert: false, why: 'busy' });
  });

  it('mute keeps the notification without sound; repeat follows the setting; sounds are the chosen ones', () => {
    expect(routeAlert(input({ settings: { ...DEFAULT_ALERT_SETTINGS, muted: true } }))).toMatchObject({ alert: true, sound: null });
    expect(routeAlert(input({ settings: { ...DEFAULT_ALERT_SETTINGS, repeat: true } }))).toMatchObject({ repeat: true });
    const custom = { ...DEFAULT_ALERT_SETTINGS, sounds: { high: 'bell' as const, normal: 'soft' as const } };
    expect(routeAlert(input({ settings: custom }))).toMatchObject({ sound: 'soft' });
  });

  it('does not alert about resolved or deferred conversations', () => {
    expect(routeAlert(input({ item: { ...waiting, lane: 'resolved', status: 'resolved' } }))).toMatchObject({ alert: false });
    expect(routeAlert(input({ item: { ...waiting, lane: 'deferred' } }))).toMatchObject({ alert: false });
  });
});
