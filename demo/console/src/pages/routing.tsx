// Routing settings (路由设置, `config`): allocation mode, queue-first tags, reception mode, default group,
// back to the last agent, queue limit, timeouts, notice texts and the ordered smart-routing rules, saved
// together (PUT /admin/routing); the blacklist; the latest routing events.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { NOTICE_CODES, RECEPTION_MODES } from '@kefu/proto';
import { query, type Api, type FieldError } from '../api.js';
import {
  bound,
  Choice,
  count,
  errorsOf,
  FieldErrors,
  Input,
  invalid,
  MODES,
  SmallButton,
  TargetSelect,
  targetKey,
  targetOf,
  useLoad,
} from '../components/admin-form.js';
import type { StringKey, Translate } from '../i18n/index.js';
import type {
  AgentAccount,
  BlacklistEntry,
  Group,
  RoutingEvent,
  RoutingRule,
  RoutingSettings,
} from '../types.js';

const TIMEOUTS = [
  ['queue_timeout', 'close_after_s'],
  ['agent_timeout', 'transfer_after_s'],
  ['customer_timeout', 'close_after_s'],
] as const;
const LISTS = ['channels', 'tags', 'regions'] as const;

/** The form's values as strings, by API path ("queue_timeout.remind_after_s", "texts.greeting"). */
type Draft = Record<string, string>;
/** A rule as edited: lists comma-separated, vip "" | "true" | "false", target "g:…" | "a:…", id for keys. */
type RuleDraft = Record<string, string>;

let nextId = 0;
const split = (s = ''): string[] =>
  s
    .split(/[,，、]/)
    .map((x) => x.trim())
    .filter(Boolean);

function toDraft(r: RoutingSettings): Draft {
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

function ruleDraft(r?: RoutingRule): RuleDraft {
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

function settingsBody(d: Draft, rules: RuleDraft[]): RoutingSettings {
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

export function RoutingPage({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [groupList] = useLoad(() => api.get<{ groups: Group[] }>('/admin/groups'));
  const [agentList] = useLoad(() => api.get<{ agents: AgentAccount[] }>('/admin/agents'));
  const groups = groupList?.groups ?? [];
  const agents = agentList?.agents ?? [];
  const [draft, setDraft] = useState<Draft>();
  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [message, setMessage] = useState<string>();
  const show = (r: RoutingSettings): void => {
    setDraft(toDraft(r));
    setRules(r.rules.map(ruleDraft));
    setErrors([]);
  };
  useEffect(() => {
    api.get<RoutingSettings>('/admin/routing').then(show, (e: unknown) => {
      setErrors(errorsOf(e));
    });
  }, []);

  const d = draft ?? {};
  const set = (k: string) => (v: string) => {
    setDraft((x) => ({ ...x, [k]: v }));
  };
  const bind = (k: string) => bound(d[k] ?? '', set(k), invalid(errors, k), k);
  const setRule = (i: number, k: string) => (v: string) => {
    setRules((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
  };
  const bindRule = (i: number, k: string) => {
    const path = `rules.${String(i)}.${k}`;
    return bound(rules[i]?.[k] ?? '', setRule(i, k), invalid(errors, path), path);
  };
  const move = (i: number, by: number) => (): void => {
    setRules((rs) => {
      const next = [...rs];
      const [r] = next.splice(i, 1);
      if (r) next.splice(i + by, 0, r);
      return next;
    });
  };
  const save = (e: Event): void => {
    e.preventDefault();
    setMessage(undefined);
    api.send<RoutingSettings>('PUT', '/admin/routing', settingsBody(d, rules)).then(
      (r) => {
        show(r);
        setMessage(t('saved'));
      },
      (err: unknown) => {
        setErrors(errorsOf(err));
      },
    );
  };
  const comma = t('commaSeparated');

  return (
    <section class="page admin" aria-label={t('routing')}>
      <h2>{t('routing')}</h2>
      {message ? (
        <p class="flash" role="status">
          {message}
        </p>
      ) : null}
      {draft ? (
        <form onSubmit={save} aria-label={t('routing')} class="routing-form">
          <div class="inline">
            <Choice
              label={t('allocationMode')}
              options={MODES.map((m) => [m, t(`mode_${m}` as StringKey)])}
              field={bind('mode')}
            />
            <Input
              label={t('queueFirstTags')}
              field={bind('queue_first_tags')}
              maxLength={500}
              placeholder={comma}
            />
          </div>
          <div class="inline">
            <Choice
              label={t('receptionMode')}
              options={RECEPTION_MODES.map((m) => [m, t(`rm_${m}` as StringKey)])}
              field={bind('reception_mode')}
            />
            <label class="check">
              <input
                type="checkbox"
                name="reception_override"
                checked={d['reception_override'] === 'on'}
                onChange={(e) => {
                  set('reception_override')((e.target as HTMLInputElement).checked ? 'on' : '');
                }}
              />
              {t('receptionOverride')}
            </label>
          </div>
          <div class="inline">
            <Choice
              label={t('defaultGroup')}
              options={[['', t('allAgents')], ...groups.map((g): [string, string] => [g.id, g.name])]}
              field={bind('default_group_id')}
            />
            {count(t('returnToLast'), bind('return_to_last_agent_minutes'), 43_200)}
            {count(t('maxQueue'), bind('max_queue_length'), 100_000)}
          </div>

          <fieldset>
            <legend>{t('timeouts')}</legend>
            {TIMEOUTS.map(([k, act]) => (
              <fieldset key={k} class="inline">
                <legend>{t(k)}</legend>
                {['remind_after_s', act].map((f) => count(t(f as StringKey), bind(`${k}.${f}`), 604_800))}
              </fieldset>
            ))}
          </fieldset>

          <fieldset>
            <legend>{t('rules')}</legend>
            <ol>
              {rules.map((r, i) => {
                const name = r['name'] ?? '';
                return (
                  <li key={r['id']} data-rule={i}>
                    <fieldset class={invalid(errors, `rules.${String(i)}`) ? 'error' : undefined}>
                      <div class="inline">
                        <Input label={t('ruleName')} field={bindRule(i, 'name')} required maxLength={64} />
                        <TargetSelect
                          t={t}
                          label={t('target')}
                          field={bindRule(i, 'target')}
                          groups={groups}
                          agents={agents}
                        />
                        <SmallButton
                          label={`${t('moveUp')} ${name}`}
                          text="↑"
                          disabled={i === 0}
                          onClick={move(i, -1)}
                        />
                        <SmallButton
                          label={`${t('moveDown')} ${name}`}
                          text="↓"
                          disabled={i === rules.length - 1}
                          onClick={move(i, 1)}
                        />
                        <SmallButton
                          label={`${t('delete')} ${name}`}
                          text={t('delete')}
                          onClick={() => {
                            setRules((rs) => rs.filter((_, j) => j !== i));
                          }}
                        />
                      </div>
                      <div class="inline">
                        <Input label={t('channel')} field={bindRule(i, 'channels')} placeholder={comma} />
                        {count(t('minLevel'), bindRule(i, 'min_level'), 99)}
                        <Choice
                          label={t('vip')}
                          options={[
                            ['', t('any')],
                            ['true', t('yes')],
                            ['false', t('no')],
                          ]}
                          field={bindRule(i, 'vip')}
                        />
                        <Input label={t('tags')} field={bindRule(i, 'tags')} placeholder={comma} />
                        <Input label={t('regions')} field={bindRule(i, 'regions')} placeholder={comma} />
                        <Input
                          label={t('entryUrlContains')}
                          field={bindRule(i, 'entry_url_contains')}
                          maxLength={256}
                        />
                      </div>
                    </fieldset>
                  </li>
                );
              })}
            </ol>
            <button
              type="button"
              onClick={() => {
                setRules((rs) => [...rs, ruleDraft()]);
              }}
            >
              {t('addRule')}
            </button>
          </fieldset>

          <fieldset>
            <legend>{t('noticeTexts')}</legend>
            {NOTICE_CODES.map((c) => (
              <div key={c}>
                <Input
                  label={t(`n_${c}` as StringKey)}
                  field={bind(`texts.${c}`)}
                  size={60}
                  maxLength={500}
                  placeholder={t('builtInText')}
                />
              </div>
            ))}
          </fieldset>

          <FieldErrors errors={errors} t={t} />
          <button type="submit" class="primary">
            {t('save')}
          </button>
        </form>
      ) : (
        <FieldErrors errors={errors} t={t} />
      )}
      <Blacklist api={api} t={t} agents={agents} />
      <Events api={api} t={t} groups={groups} agents={agents} />
    </section>
  );
}

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '');

function Blacklist({ api, t, agents }: { api: Api; t: Translate; agents: AgentAccount[] }): JSX.Element {
  const [list, reload, loadError] = useLoad(() => api.get<{ entries: BlacklistEntry[] }>('/admin/blacklist'));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const run = (p: Promise<unknown>, after?: () => void): void => {
    p.then(
      () => {
        setErrors([]);
        after?.();
        reload();
      },
      (e: unknown) => {
        setErrors(errorsOf(e));
      },
    );
  };
  const add = (e: Event): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const v = (k: string): string => (data.get(k) as string | null)?.trim() ?? '';
    run(
      api.send('POST', '/admin/blacklist', {
        customer_uid: v('customer_uid'),
        ...(v('reason') ? { reason: v('reason') } : {}),
        ...(v('expires_at') ? { expires_at: new Date(v('expires_at')).toISOString() } : {}),
      }),
      () => {
        form.reset();
      },
    );
  };
  const name = (uid: string): string => agents.find((a) => a.uid === uid)?.display_name ?? uid;
  return (
    <>
      <h2>{t('blacklist')}</h2>
      {loadError ? <p class="error">{loadError}</p> : null}
      <table class="blacklist">
        <thead>
          <tr>
            <th>{t('customerUid')}</th>
            <th>{t('reason')}</th>
            <th>{t('by')}</th>
            <th>{t('addedAt')}</th>
            <th>{t('expiresAt')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(list?.entries ?? []).map((b) => (
            <tr key={b.customer_uid} data-customer={b.customer_uid}>
              <td>{b.customer_uid}</td>
              <td>{b.reason}</td>
              <td>{name(b.by)}</td>
              <td>{when(b.created_at)}</td>
              <td>{b.expires_at ? when(b.expires_at) : t('never')}</td>
              <td>
                <SmallButton
                  label={`${t('delete')} ${b.customer_uid}`}
                  text={t('delete')}
                  onClick={() => {
                    run(api.send('DELETE', `/admin/blacklist/${encodeURIComponent(b.customer_uid)}`));
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline" onSubmit={add} aria-label={t('blacklist')}>
        <Input label={t('customerUid')} name="customer_uid" required maxLength={64} />
        <Input label={t('reason')} name="reason" maxLength={200} />
        <Input label={t('expiresAt')} name="expires_at" type="datetime-local" />
        <button type="submit" class="primary">
          {t('add')}
        </button>
      </form>
      <FieldErrors errors={errors} t={t} />
    </>
  );
}

function Events({
  api,
  t,
  groups,
  agents,
}: {
  api: Api;
  t: Translate;
  groups: Group[];
  agents: AgentAccount[];
}): JSX.Element {
  // The API lists oldest first: the last hour's, newest first here.
  const [events, reload, error] = useLoad(async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const b = await api.get<{ events: RoutingEvent[] }>(
      `/admin/routing/events${query({ from, limit: 1000 })}`,
    );
    return b.events.slice(-50).reverse();
  });
  return (
    <>
      <h2>
        {t('routingEvents')}{' '}
        <button type="button" class="small" onClick={reload}>
          {t('refresh')}
        </button>
      </h2>
      {error ? <p class="error">{error}</p> : null}
      <table class="routing-events">
        <thead>
          <tr>
            {(['time', 'type', 'channel', 'customer', 'toGroup', 'toAgent', 'waitMs', 'reason'] as const).map(
              (k) => (
                <th key={k}>{t(k)}</th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {(events ?? []).map((ev, i) => (
            <tr key={i} data-event={ev.type}>
              <td>{when(ev.at)}</td>
              <td>{ev.type}</td>
              <td>{ev.channel}</td>
              <td>{ev.customer_uid}</td>
              <td>{groups.find((g) => g.id === ev.group_id)?.name ?? ev.group_id}</td>
              <td>{agents.find((a) => a.uid === ev.agent_uid)?.display_name ?? ev.agent_uid}</td>
              <td>{ev.wait_ms}</td>
              <td>{ev.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
