// Routing settings (路由设置, `config`): allocation mode, queue-first tags, reception mode, default group,
// back to the last agent, queue limit, timeouts, notice texts and the ordered smart-routing rules, saved
// together (PUT /admin/routing); the blacklist; the latest routing events.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { NOTICE_CODES, RECEPTION_MODES } from '@kefu/proto';
import type { Api } from '../api.js';
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
  useLoad,
  type ShownError,
} from '../components/admin-form.js';
import type { StringKey, Translate } from '../i18n/index.js';
import { Blacklist } from './routing-blacklist.js';
import { Events } from './routing-events.js';
import type { AgentAccount, Group, RoutingSettings } from '../types.js';
import { ruleDraft, settingsBody, TIMEOUTS, toDraft, type Draft, type RuleDraft } from './routing-draft.js';

export function RoutingPage({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [groupList] = useLoad(() => api.get<{ groups: Group[] }>('/admin/groups'));
  const [agentList] = useLoad(() => api.get<{ agents: AgentAccount[] }>('/admin/agents'));
  const groups = groupList?.groups ?? [];
  const agents = agentList?.agents ?? [];
  const [draft, setDraft] = useState<Draft>();
  const [rules, setRules] = useState<RuleDraft[]>([]);
  const [errors, setErrors] = useState<ShownError[]>([]);
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
                {c === 'greeting' ? <p class="muted hint">{t('greetingHint')}</p> : null}
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
