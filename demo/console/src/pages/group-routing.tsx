// A skill group's routing (管理 › 技能组): its allocation mode or the global one, its greeting or the
// global one, business hours (a time zone and weekly windows; none = always on duty) and up to three
// overflow levels (PATCH /admin/groups/:id). Folded away until opened.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import {
  bound,
  Choice,
  errorsOf,
  FieldErrors,
  Input,
  invalid,
  MODES,
  SmallButton,
  TargetSelect,
  targetKey,
  targetOf,
  type ShownError,
} from '../components/admin-form.js';
import { GreetingField } from '../components/greeting-field.js';
import type { StringKey, Translate } from '../i18n/index.js';
import type { AgentAccount, BusinessHours, Group } from '../types.js';

const CONDITIONS = ['none_online', 'all_busy', 'off_duty'];
const MAX_LEVELS = 3;
type Window = BusinessHours['windows'][number];
const WORKDAY: Window = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };

interface Props {
  api: Api;
  t: Translate;
  group: Group;
  groups: Group[];
  agents: AgentAccount[];
  onSaved: () => void;
}

export function GroupRouting(props: Props): JSX.Element {
  const [open, setOpen] = useState(false);
  return (
    <details
      onToggle={(e) => {
        setOpen(e.currentTarget.open);
      }}
    >
      <summary>{props.t('routing')}</summary>
      {open ? <Editor {...props} /> : null}
    </details>
  );
}

function Editor({ api, t, group, groups, agents, onSaved }: Props): JSX.Element {
  const hours = group.business_hours;
  const [mode, setMode] = useState(group.mode ?? '');
  const [greeting, setGreeting] = useState(group.greeting ?? '');
  const [limited, setLimited] = useState(!!hours);
  const [timezone, setTimezone] = useState(hours?.timezone ?? 'Asia/Shanghai');
  const [windows, setWindows] = useState<Window[]>(hours?.windows ?? [WORKDAY]);
  const [overflow, setOverflow] = useState(
    (group.overflow ?? []).map((o) => ({ when: o.when, to: targetKey(o.to) })),
  );
  const [errors, setErrors] = useState<ShownError[]>([]);
  const [saved, setSaved] = useState(false);
  const dayNames = t('weekdays').split(',');
  const setWindow = (i: number, patch: Partial<Window>): void => {
    setWindows((ws) => ws.map((w, j) => (j === i ? { ...w, ...patch } : w)));
  };
  const setLevel = (i: number, k: 'when' | 'to') => (v: string) => {
    setOverflow((os) => os.map((o, j) => (j === i ? { ...o, [k]: v } : o)));
  };
  const save = (e: Event): void => {
    e.preventDefault();
    setSaved(false);
    api
      .send('PATCH', `/admin/groups/${encodeURIComponent(group.id)}`, {
        mode: mode || null,
        greeting: greeting.trim() || null,
        business_hours: limited ? { timezone: timezone.trim(), windows } : null,
        overflow: overflow.map((o) => ({ when: o.when, to: targetOf(o.to) })),
      })
      .then(
        () => {
          setErrors([]);
          setSaved(true);
          onSaved();
        },
        (err: unknown) => {
          setErrors(errorsOf(err));
        },
      );
  };
  const zones = `kefu-zones-${group.id}`;
  return (
    <form onSubmit={save} aria-label={`${group.name} ${t('routing')}`} class="group-routing">
      <Choice
        label={t('allocationMode')}
        options={[
          ['', t('useGlobal')],
          ...MODES.map((m): [string, string] => [m, t(`mode_${m}` as StringKey)]),
        ]}
        field={bound(mode, setMode, invalid(errors, 'mode'), 'mode')}
      />
      <GreetingField t={t} id={`kefu-greeting-${group.id}`} value={greeting} onInput={setGreeting} />
      <fieldset>
        <legend>{t('businessHours')}</legend>
        <label class="check">
          <input
            type="checkbox"
            name="limited"
            checked={limited}
            onChange={(e) => {
              setLimited((e.target as HTMLInputElement).checked);
            }}
          />
          {t('limitHours')}
        </label>
        {limited ? (
          <>
            <label>
              {t('timezone')}{' '}
              <input
                list={zones}
                required
                maxLength={64}
                {...bound(timezone, setTimezone, invalid(errors, 'business_hours.timezone'), 'timezone')}
              />
            </label>
            <datalist id={zones}>
              {Intl.supportedValuesOf('timeZone').map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
            {windows.map((w, i) => (
              <fieldset
                key={i}
                class={`inline${invalid(errors, `business_hours.windows.${String(i)}`) ? ' error' : ''}`}
                data-window={i}
              >
                <legend>
                  {t('businessHours')} {i + 1}
                </legend>
                {dayNames.map((name, day) => (
                  <label class="check" key={day}>
                    <input
                      type="checkbox"
                      name={`windows.${String(i)}.days`}
                      value={day}
                      checked={w.days.includes(day)}
                      onChange={(e) => {
                        const on = (e.target as HTMLInputElement).checked;
                        setWindow(i, {
                          days: on ? [...w.days, day].sort((a, b) => a - b) : w.days.filter((x) => x !== day),
                        });
                      }}
                    />
                    {name}
                  </label>
                ))}
                {(['start', 'end'] as const).map((k) => (
                  <Input
                    key={k}
                    label={t(k)}
                    type="time"
                    required
                    field={bound(
                      w[k],
                      (v) => {
                        setWindow(i, { [k]: v });
                      },
                      false,
                      `windows.${String(i)}.${k}`,
                    )}
                  />
                ))}
                <SmallButton
                  label={`${t('delete')} ${t('businessHours')} ${String(i + 1)}`}
                  text={t('delete')}
                  disabled={windows.length === 1}
                  onClick={() => {
                    setWindows((ws) => ws.filter((_, j) => j !== i));
                  }}
                />
              </fieldset>
            ))}
            <button
              type="button"
              disabled={windows.length >= 21}
              onClick={() => {
                setWindows((ws) => [...ws, WORKDAY]);
              }}
            >
              {t('addWindow')}
            </button>
          </>
        ) : null}
      </fieldset>
      <fieldset>
        <legend>{t('overflow')}</legend>
        {overflow.map((o, i) => (
          <div
            class={`inline${invalid(errors, `overflow.${String(i)}`) ? ' error' : ''}`}
            key={i}
            data-level={i}
          >
            <Choice
              label={`${t('levelN', { n: i + 1 })} ${t('when')}`}
              options={CONDITIONS.map((c) => [c, t(`of_${c}` as StringKey)])}
              field={bound(o.when, setLevel(i, 'when'), false, `overflow.${String(i)}.when`)}
            />
            <TargetSelect
              t={t}
              label={t('target')}
              field={bound(o.to, setLevel(i, 'to'), false, `overflow.${String(i)}.to`)}
              groups={groups.filter((g) => g.id !== group.id)}
              agents={agents}
            />
            <SmallButton
              label={`${t('delete')} ${t('levelN', { n: i + 1 })}`}
              text={t('delete')}
              onClick={() => {
                setOverflow((os) => os.filter((_, j) => j !== i));
              }}
            />
          </div>
        ))}
        <button
          type="button"
          disabled={overflow.length >= MAX_LEVELS}
          onClick={() => {
            setOverflow((os) => [...os, { when: 'none_online', to: '' }]);
          }}
        >
          {t('addLevel')}
        </button>
      </fieldset>
      <FieldErrors errors={errors} t={t} />
      {saved ? <span role="status">{t('saved')}</span> : null}{' '}
      <button type="submit" class="primary">
        {t('save')}
      </button>
    </form>
  );
}
