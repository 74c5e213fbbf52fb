import { describe, expect, it } from 'vitest';
import { desktopConfig } from '../../src/main/desktop-config';

describe('desktop start options', () => {
  it('signs in the operator given on the command line, as desk serve --operator does', () => {
    expect(desktopConfig(['/opt/Handoff Desk/handoff-desk', '--operator', 'marie@example.com'], {}).operatorEmail).toBe('marie@example.com');
    expect(desktopConfig(['electron', '.', '--operator=pierre@example.com'], {}).operatorEmail).toBe('pierre@example.com');
  });

  it('falls back to DESK_OPERATOR, and the command line wins over it', () => {
    expect(desktopConfig([], { DESK_OPERATOR: 'marie@example.com' }).operatorEmail).toBe('marie@example.com');
    expect(desktopConfig(['--operator=pierre@example.com'], { DESK_OPERATOR: 'marie@example.com' }).operatorEmail).toBe('pierre@example.com');
  });

  it('starts signed out without either, and ignores a dangling flag', () => {
    expect(desktopConfig(['app'], {}).operatorEmail).toBeUndefined();
    expect(desktopConfig(['app', '--operator', '--devtools'], {})).toEqual({ operatorEmail: undefined, devTools: true });
  });

  it('has developer tools off unless asked for', () => {
    expect(desktopConfig([], {}).devTools).toBe(false);
    expect(desktopConfig([], { DESK_DEVTOOLS: '1' }).devTools).toBe(true);
  });
});
