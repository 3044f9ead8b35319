// Pieces the admin pages share: loading a resource, the fields the server refused (400
// `error.details.fields`), a labelled select, and the choice of a route target (skill group or agent).
import type { InputHTMLAttributes, JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { FieldsError } from '../api.js';
import { errorParts, errorText, fieldErrorText, type FieldError } from '../error-text.js';
import type { Translate } from '../i18n/index.js';
import type { AgentAccount, Group, RouteTarget } from '../types.js';

/** Allocation modes (server/src/service/routing/allocation.ts). */
export const MODES = ['saturation', 'round_robin', 'longest_idle'];

/** A resource loaded once (and again on `reload`); the error is shown with ErrorMessage. */
export function useLoad<T>(load: () => Promise<T>): [T | undefined, () => void, unknown] {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<unknown>();
  const reload = (): void => {
    load().then(
      (v) => {
        setValue(v);
        setError(undefined);
      },
      (e: unknown) => {
        setError(e);
      },
    );
  };
  useEffect(reload, []);
  return [value, reload, error];
}

/** The value of the input an event came from. */
export const valueOf = (e: Event): string => (e.target as HTMLInputElement).value;

/** A refused field, or (without a path) the whole request's error with its code. */
export interface ShownError extends FieldError {
  code?: string;
}

/** The refused fields of a failed request; any other error as one entry without a path. */
export function errorsOf(e: unknown): ShownError[] {
  if (e instanceof FieldsError && e.fields.length > 0) return e.fields;
  return [{ path: '', ...errorParts(e) }];
}

/** Whether a refused field concerns the form field `name` (a path above or below it counts). */
export function invalid(errors: FieldError[], name: string): boolean {
  return errors.some(
    (f) =>
      f.path !== '' && (f.path === name || name.startsWith(`${f.path}.`) || f.path.startsWith(`${name}.`)),
  );
}

/** Props that bind an input or select to a string value (marked when the server refused it). */
export interface Bound {
  name?: string;
  value: string;
  class?: string;
  'aria-invalid'?: boolean;
  onInput: (e: Event) => void;
}

export function bound(value: string, set: (v: string) => void, bad = false, name?: string): Bound {
  return {
    ...(name === undefined ? {} : { name }),
    value,
    ...(bad ? { class: 'error', 'aria-invalid': true } : {}),
    onInput: (e) => {
      set(valueOf(e));
    },
  };
}

/** The server's refusal, field by field (label and what is wrong), next to the form. */
export function FieldErrors({ errors, t }: { errors: ShownError[]; t: Translate }): JSX.Element | null {
  if (errors.length === 0) return null;
  return (
    <ul class="error" role="alert">
      {errors.map((f, i) => (
        <li key={i} data-path={f.path} title={f.message}>
          {f.path ? fieldErrorText(t, f) : errorText(t, f)}
        </li>
      ))}
    </ul>
  );
}

/** A labelled input; `field` binds its value. */
export function Input({
  label,
  field,
  ...attrs
}: {
  label: string;
  field?: Bound;
  name?: string;
  type?: 'number' | 'time' | 'datetime-local';
  min?: number;
  max?: number;
  step?: number;
  maxLength?: number;
  size?: number;
  placeholder?: string;
  required?: boolean;
}): JSX.Element {
  // Preact types each input `type` separately; these attributes fit them all.
  const props = { ...attrs, ...field } as InputHTMLAttributes;
  return (
    <label>
      {label} <input {...props} />
    </label>
  );
}

/** A whole number input (0 … max). */
export const count = (label: string, field: Bound, max: number): JSX.Element => (
  <Input label={label} field={field} type="number" min={0} max={max} step={1} />
);

/** A small button that names what it acts on (`label`) for assistive technology. */
export function SmallButton({
  label,
  text,
  disabled,
  onClick,
}: {
  label: string;
  text: string;
  disabled?: boolean;
  onClick: () => void;
}): JSX.Element {
  return (
    <button type="button" class="small" aria-label={label} disabled={disabled} onClick={onClick}>
      {text}
    </button>
  );
}

export function Choice({
  label,
  options,
  field,
}: {
  label: string;
  options: [value: string, text: string][];
  field: Bound;
}): JSX.Element {
  return (
    <label>
      {label}{' '}
      <select {...field}>
        {options.map(([v, text]) => (
          <option key={v} value={v}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

/** "g:<group id>" or "a:<agent uid>" for a select; "" for none. */
export function targetKey(t: RouteTarget): string {
  if (t.agent_uid) return `a:${t.agent_uid}`;
  return t.group_id ? `g:${t.group_id}` : '';
}

export function targetOf(key: string): RouteTarget {
  return key.startsWith('a:') ? { agent_uid: key.slice(2) } : { group_id: key.slice(2) };
}

export function TargetSelect({
  t,
  label,
  field,
  groups,
  agents,
}: {
  t: Translate;
  label: string;
  field: Bound;
  groups: Group[];
  agents: AgentAccount[];
}): JSX.Element {
  return (
    <label>
      {label}{' '}
      <select required {...field}>
        <option value="" />
        <optgroup label={t('toGroup')}>
          {groups.map((g) => (
            <option key={g.id} value={`g:${g.id}`}>
              {g.name}
            </option>
          ))}
        </optgroup>
        <optgroup label={t('toAgent')}>
          {agents.map((a) => (
            <option key={a.uid} value={`a:${a.uid}`}>
              {a.display_name} ({a.username})
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}
