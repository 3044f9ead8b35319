// The console's keyboard shortcuts: which key does what (one table for the handler and for the help
// overlay). Alt combinations are matched by physical key (`code`) so they work on any keyboard layout,
// and on macOS, where Option+letter types a character, that character is not typed.
import type { StringKey } from './i18n/index.js';

export type ShortcutAction =
  | 'prevConversation'
  | 'nextConversation'
  | 'focusComposer'
  | 'toggleNote'
  | 'closeConversation'
  | 'help'
  | 'escape';

/** The parts of a KeyboardEvent the table looks at. */
export interface KeyPress {
  key: string;
  code: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  isComposing?: boolean;
}

const ALT_KEYS: Record<string, ShortcutAction> = {
  ArrowUp: 'prevConversation',
  ArrowDown: 'nextConversation',
  KeyK: 'focusComposer',
  KeyN: 'toggleNote',
  KeyC: 'closeConversation',
};

/** What a key press asks for; `typing`: the focus is in a text field (then `?` is just a character). */
export function shortcutOf(e: KeyPress, typing: boolean): ShortcutAction | undefined {
  if (e.isComposing) return undefined;
  if (e.altKey && !e.ctrlKey && !e.metaKey) return ALT_KEYS[e.key] ?? ALT_KEYS[e.code];
  if (e.key === '?' && !typing && !e.altKey && !e.ctrlKey && !e.metaKey) return 'help';
  if (e.key === 'Escape') return 'escape';
  return undefined;
}

/** The help overlay's rows: keys as shown, and what they do. */
export const SHORTCUT_HELP: readonly (readonly [keys: string, what: StringKey])[] = [
  ['Alt + ↑', 'key_prevConversation'],
  ['Alt + ↓', 'key_nextConversation'],
  ['Alt + K', 'key_focusComposer'],
  ['Enter', 'key_send'],
  ['Shift + Enter', 'key_newline'],
  ['/', 'key_quickReply'],
  ['Alt + N', 'key_toggleNote'],
  ['Alt + C', 'key_closeConversation'],
  ['?', 'key_help'],
  ['Esc', 'key_escape'],
];
