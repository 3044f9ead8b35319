// The routing form's values: the settings as strings by API path (a draft the inputs bind to), and back
// to the PUT /admin/routing body.
import { NOTICE_CODES } from '@kefu/proto';
import { targetKey, targetOf } from '../components/admin-form.js';
import type { RoutingRule, RoutingSettings } from '../types.js';

export const TIMEOUTS = [
  ['queue_timeout', 'close_after_s'],
  ['agent_timeout', 'transfer_after_s'],
  ['customer_timeout', 'close_after_s'],
] as const;
const LISTS = ['channels', 'tags', 'regions'] as const;

/** The form's values as strings, by API path ("queue_timeout.remind_after_s", "texts.greeting"). */
export type Draft = Record<string, string>;
/** A rule as edited: lists comma-separated, vip "" | "true" | "false", target "g:…" | "a:…", id for keys. */
export type RuleDraft = Record<string, string>;

let nextId = 0;
const split = (s = ''): string[] =>
  s
    .split(/[,，、]/)
    .map((x) => x.trim())
    .filter(Boolean);

export function toDraft(r: RoutingSettings): Draft {
  const d: Draft = {
    mode: r.mode,
    queue_first_tags: r.queue_first_tags.join(', '),
    reception_mode: r.reception_mode,
    reception_override: r.reception_override ? 'on' : '',
    default_group_id: r.default_group_id,
    return_to_last_agent_minutes: String(r.return_to_last_agent_minutes),
    max_queue_length: String(r.max_queue_length),
  };
  for (const [k, act] of TIMEOUTS)
    for (const f of ['remind_after_s', act]) d[`${k}.${f}`] = String(r[k][f] ?? 0);
  for (const c of NOTICE_CODES) d[`texts.${c}`] = r.texts[c] ?? '';
  return d;
}

export function ruleDraft(r?: RoutingRule): RuleDraft {
  const m = r?.match ?? {};
  return {
    id: String(nextId++),
    name: r?.name ?? '',
    ...Object.fromEntries(LISTS.map((k) => [k, (m[k] ?? []).join(', ')])),
    min_level: m.min_level === undefined ? '' : String(m.min_level),
    vip: m.vip === undefined ? '' : String(m.vip),
    entry_url_contains: m.entry_url_contains ?? '',
    target: r ? targetKey(r.target) : '',
  };
}

function ruleBody(r: RuleDraft): RoutingRule {
  const match: RoutingRule['match'] = {};
  for (const k of LISTS) if (split(r[k]).length > 0) match[k] = split(r[k]);
  if (r['min_level']) match.min_level = Number(r['min_level']);
  if (r['vip']) match.vip = r['vip'] === 'true';
  const url = r['entry_url_contains']?.trim();
  if (url) match.entry_url_contains = url;
  return { name: r['name']?.trim() ?? '', match, target: targetOf(r['target'] ?? '') };
}

export function settingsBody(d: Draft, rules: RuleDraft[]): RoutingSettings {
  const n = (k: string): number => Number(d[k] || 0);
  const timeout = (k: string, act: string): Record<string, number> => ({
    remind_after_s: n(`${k}.remind_after_s`),
    [act]: n(`${k}.${act}`),
  });
  return {
    mode: d['mode'] ?? '',
    queue_first_tags: split(d['queue_first_tags']),
    reception_mode: d['reception_mode'] ?? '',
    reception_override: d['reception_override'] === 'on',
    default_group_id: d['default_group_id'] ?? '',
    return_to_last_agent_minutes: n('return_to_last_agent_minutes'),
    max_queue_length: n('max_queue_length'),
    rules: rules.map(ruleBody),
    queue_timeout: timeout('queue_timeout', 'close_after_s'),
    agent_timeout: timeout('agent_timeout', 'transfer_after_s'),
    customer_timeout: timeout('customer_timeout', 'close_after_s'),
    texts: Object.fromEntries(NOTICE_CODES.map((c) => [c, d[`texts.${c}`] ?? ''])),
  };
}
