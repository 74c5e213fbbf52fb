import { create } from 'zustand';
import type { Suggestion } from './suggestions';

/** The composer's text and what can be inserted into it, shared with the keyboard shortcuts. */
interface DraftState {
  text: string;
  suggestions: Suggestion[] | null;
  focusTick: number;
  setText(text: string): void;
  insert(snippet: string): void;
  insertSuggestion(n: number): boolean;
  focus(): void;
}

export const useDraft = create<DraftState>((set, get) => ({
  text: '',
  suggestions: null,
  focusTick: 0,
  setText(text) { set({ text }); },
  insert(snippet) {
    const t = get().text;
    set({ text: t.trim() ? `${t.replace(/\s+$/, '')}\n${snippet}` : snippet, focusTick: get().focusTick + 1 });
  },
  insertSuggestion(n) {
    const s = get().suggestions?.[n];
    if (!s) return false;
    get().insert(s.text);
    return true;
  },
  focus() { set({ focusTick: get().focusTick + 1 }); },
}));
