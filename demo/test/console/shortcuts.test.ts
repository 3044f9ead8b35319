// The console's keyboard shortcuts: one table decides what a key press does.
import { describe, expect, it } from 'vitest';
import { SHORTCUT_HELP, shortcutOf, type KeyPress } from '../../console/src/shortcuts.js';
import { translator } from '../../console/src/i18n/index.js';

const press = (key: string, code = '', mods: Partial<KeyPress> = {}): KeyPress => ({
  key,
  code,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  ...mods,
});

describe('console shortcuts', () => {
  it('moves between conversations with Alt+↑/↓, also while typing', () => {
    expect(shortcutOf(press('ArrowUp', 'ArrowUp', { altKey: true }), true)).toBe('prevConversation');
    expect(shortcutOf(press('ArrowDown', 'ArrowDown', { altKey: true }), false)).toBe('nextConversation');
    expect(shortcutOf(press('ArrowDown', 'ArrowDown'), false)).toBeUndefined();
    expect(
      shortcutOf(press('ArrowDown', 'ArrowDown', { altKey: true, ctrlKey: true }), false),
    ).toBeUndefined();
  });

  it('matches Alt+letter by the physical key (macOS Option types other characters)', () => {
    expect(shortcutOf(press('k', 'KeyK', { altKey: true }), true)).toBe('focusComposer');
    expect(shortcutOf(press('˚', 'KeyK', { altKey: true }), true)).toBe('focusComposer');
    expect(shortcutOf(press('ç', 'KeyC', { altKey: true }), false)).toBe('closeConversation');
    expect(shortcutOf(press('n', 'KeyN', { altKey: true }), true)).toBe('toggleNote');
  });

  it('opens the help on ? only when not typing; Esc always', () => {
    expect(shortcutOf(press('?', 'Slash', {}), false)).toBe('help');
    expect(shortcutOf(press('?', 'Slash', {}), true)).toBeUndefined();
    expect(shortcutOf(press('Escape', 'Escape'), true)).toBe('escape');
    expect(shortcutOf(press('Escape', 'Escape', { isComposing: true }), true)).toBeUndefined();
  });

  it('documents every shortcut in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const t = translator(locale);
      for (const [keys, what] of SHORTCUT_HELP) expect(`${keys} ${t(what)}`).not.toMatch(/key_/);
    }
  });
});
