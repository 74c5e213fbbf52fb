/** Every console shortcut, in one place, so the help overlay lists exactly what the handler does. */
export const SHORTCUTS = [
  { keys: ['J', 'Alt+↓'], action: 'next' },
  { keys: ['K', 'Alt+↑'], action: 'previous' },
  { keys: ['T'], action: 'takeOver' },
  { keys: ['R'], action: 'focusComposer' },
  { keys: ['Ctrl+Enter'], action: 'send' },
  { keys: ['Alt+1', 'Alt+2', 'Alt+3'], action: 'insertSuggestion' },
  { keys: ['Alt+M'], action: 'templates' },
  { keys: ['C'], action: 'close' },
  { keys: ['Ctrl+K', '/'], action: 'search' },
  { keys: ['?'], action: 'help' },
  { keys: ['Esc'], action: 'dismiss' },
] as const;

export type ShortcutAction = (typeof SHORTCUTS)[number]['action'] | 'none';

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || !el.tagName) return false;
  return el.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Which action a key press means; plain letters are ignored while typing so they still reach the field. */
export function actionFor(e: Pick<KeyboardEvent, 'key' | 'altKey' | 'ctrlKey' | 'metaKey' | 'target'>): { action: ShortcutAction; n?: number } {
  if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') return { action: 'send' };
  if (e.altKey && /^[1-3]$/.test(e.key)) return { action: 'insertSuggestion', n: Number(e.key) - 1 };
  if (e.altKey && e.key === 'ArrowDown') return { action: 'next' };
  if (e.altKey && e.key === 'ArrowUp') return { action: 'previous' };
  if (e.altKey && (e.key === 'm' || e.key === 'M' || e.key === 'µ')) return { action: 'templates' };
  if (e.key === 'Escape') return { action: 'dismiss' };
  // Ctrl+K reaches the search box even from the composer; '/' only when it is not being typed.
  if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 'k' || e.key === 'K')) return { action: 'search' };
  if (e.altKey || e.ctrlKey || e.metaKey || typing(e.target)) return { action: 'none' };
  switch (e.key) {
    case 'j': return { action: 'next' };
    case 'k': return { action: 'previous' };
    case 't': return { action: 'takeOver' };
    case 'r': return { action: 'focusComposer' };
    case 'c': return { action: 'close' };
    case '?': return { action: 'help' };
    case '/': return { action: 'search' };
    default: return { action: 'none' };
  }
}
