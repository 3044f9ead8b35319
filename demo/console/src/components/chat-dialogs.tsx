// The chat actions' dialogs: transfer (an agent online with room, or a skill group, and a note) and close
// with a summary (会话小结: category, tags, remark) — the close's confirmation.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import type { AgentAccount, Group } from '../types.js';
import type { Workbench } from '../workbench.js';
import { useLoad } from './admin-form.js';

export function TransferDialog({
  wb,
  t,
  onCancel,
  onSubmit,
}: {
  wb: Workbench;
  t: Translate;
  onCancel: () => void;
  onSubmit: (body: { to_agent_uid?: string; to_group_id?: string; note?: string }) => Promise<void>;
}): JSX.Element {
  const [loaded] = useLoad(() =>
    wb.api.get<{ agents: AgentAccount[]; groups: Group[] }>('/agent/transfer-targets'),
  );
  const targets = loaded ?? { agents: [], groups: [] };
  const [target, setTarget] = useState('');
  const [note, setNote] = useState('');
  const submit = (e: Event): void => {
    e.preventDefault();
    const [kind, id] = target.split(':');
    if (!id) return;
    void onSubmit({
      ...(kind === 'a' ? { to_agent_uid: id } : { to_group_id: id }),
      ...(note ? { note } : {}),
    });
  };
  return (
    <form class="dialog" onSubmit={submit} aria-label={t('transfer')}>
      <label>
        {t('transferTo')}
        <select
          value={target}
          onChange={(e) => {
            setTarget((e.target as HTMLSelectElement).value);
          }}
          required
          name="target"
        >
          <option value="" />
          <optgroup label={t('toAgent')}>
            {targets.agents
              .filter((a) => a.uid !== wb.me.uid)
              .map((a) => (
                <option key={a.uid} value={`a:${a.uid}`}>
                  {a.display_name}
                </option>
              ))}
          </optgroup>
          <optgroup label={t('toGroup')}>
            {targets.groups.map((g) => (
              <option key={g.id} value={`g:${g.id}`}>
                {g.name}
              </option>
            ))}
          </optgroup>
        </select>
      </label>
      <TextField label={t('note')} name="note" maxLength={500} value={note} onChange={setNote} />
      <DialogButtons cancel={t('cancel')} submit={t('transfer')} onCancel={onCancel} />
    </form>
  );
}

export function CloseDialog({
  wb,
  t,
  onCancel,
  onSubmit,
}: {
  wb: Workbench;
  t: Translate;
  onCancel: () => void;
  onSubmit: (summary: { category: string; tags: string[]; remark: string }) => Promise<void>;
}): JSX.Element {
  const [loaded] = useLoad(() =>
    wb.api.get<{ categories: string[]; tags: string[] }>('/agent/summary-options'),
  );
  const options = loaded ?? { categories: [], tags: [] };
  const [category, setCategory] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [remark, setRemark] = useState('');
  const submit = (e: Event): void => {
    e.preventDefault();
    void onSubmit({ category, tags, remark });
  };
  return (
    <form class="dialog" onSubmit={submit} aria-label={t('summary')}>
      <h3>{t('summary')}</h3>
      <label>
        {t('category')}
        <select
          name="category"
          required
          value={category}
          onChange={(e) => {
            setCategory((e.target as HTMLSelectElement).value);
          }}
        >
          <option value="" />
          {options.categories.map((x) => (
            <option key={x} value={x}>
              {x}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('tags')}</legend>
        {options.tags.map((x) => (
          <label key={x} class="check">
            <input
              type="checkbox"
              checked={tags.includes(x)}
              onChange={(e) => {
                setTags((e.target as HTMLInputElement).checked ? [...tags, x] : tags.filter((y) => y !== x));
              }}
            />
            {x}
          </label>
        ))}
      </fieldset>
      <TextField label={t('remark')} name="remark" maxLength={1000} value={remark} onChange={setRemark} />
      <DialogButtons cancel={t('cancel')} submit={t('close')} onCancel={onCancel} />
    </form>
  );
}

function TextField(props: {
  label: string;
  name: string;
  maxLength: number;
  value: string;
  onChange: (value: string) => void;
}): JSX.Element {
  return (
    <label>
      {props.label}
      <textarea
        name={props.name}
        maxLength={props.maxLength}
        value={props.value}
        onInput={(e) => {
          props.onChange((e.target as HTMLTextAreaElement).value);
        }}
      />
    </label>
  );
}

function DialogButtons(props: { cancel: string; submit: string; onCancel: () => void }): JSX.Element {
  return (
    <div class="row">
      <button type="button" onClick={props.onCancel}>
        {props.cancel}
      </button>
      <button type="submit" class="primary">
        {props.submit}
      </button>
    </div>
  );
}
