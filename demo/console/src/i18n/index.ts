// The console's texts: Simplified Chinese by default, English available. One table per page area; this
// file joins them and translates keys (the saved choice of language is in locale.ts).
import * as admin from './admin.js';
import * as app from './app.js';
import * as codes from './codes.js';
import * as errors from './errors.js';
import * as ratings from './ratings.js';
import * as routing from './routing.js';
import * as workbench from './workbench.js';

/** Each area's tables, for the test that no key is defined twice. */
export const AREAS = { app, workbench, admin, routing, ratings, codes, errors };

const zh = {
  ...app.zh,
  ...workbench.zh,
  ...admin.zh,
  ...routing.zh,
  ...ratings.zh,
  ...codes.zh,
  ...errors.zh,
};

export type StringKey = keyof typeof zh;
type Strings = Record<StringKey, string>;

const en: Strings = {
  ...app.en,
  ...workbench.en,
  ...admin.en,
  ...routing.en,
  ...ratings.en,
  ...codes.en,
  ...errors.en,
};

export function isStringKey(key: string): key is StringKey {
  return Object.hasOwn(zh, key);
}

export type Locale = 'zh-CN' | 'en';

export type Translate = (key: StringKey, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const table: Strings = locale === 'en' ? en : zh;
  return (key, params) =>
    table[key].replace(/\{(\w+)\}/g, (_, name: string) => String(params?.[name] ?? `{${name}}`));
}
