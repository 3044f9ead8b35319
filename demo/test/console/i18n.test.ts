// The console's text tables: one definition per key across the page areas, the same keys and the same
// placeholders in both languages.
import { describe, expect, it } from 'vitest';
import { AREAS, translator } from '../../console/src/i18n/index.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();

describe('console i18n', () => {
  it('defines each key in one area only', () => {
    const seen = new Map<string, string>();
    const twice: string[] = [];
    for (const [area, table] of Object.entries(AREAS)) {
      for (const key of Object.keys(table.zh)) {
        const first = seen.get(key);
        if (first) twice.push(`${key} (${first}, ${area})`);
        seen.set(key, area);
      }
    }
    expect(twice).toEqual([]);
  });

  it('has every key in English with the same placeholders', () => {
    for (const table of Object.values(AREAS)) {
      const zh: Record<string, string> = table.zh;
      const en: Record<string, string> = table.en;
      expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
      for (const key of Object.keys(zh)) {
        expect({ key, p: placeholders(en[key] ?? '') }).toEqual({ key, p: placeholders(zh[key] ?? '') });
      }
    }
  });

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(translator('zh-CN')('waiting', { t: '5s' })).toBe('等待 5s');
    expect(translator('en')('waiting', { t: '5s' })).toBe('waiting 5s');
    expect(translator('zh-CN')('waiting')).toBe('等待 {t}');
  });
});
