// Leave-a-message: offered when no agent can answer (POST /api/v1/sdk/leave-messages). A signed-in
// customer's name is filled in (editable); refusals are told in words, never the server's message.
import { HttpError } from '@kefu/sdk-core';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat, ChatState } from './chat.js';
import type { Strings } from './i18n.js';

export function LeaveMessage({
  chat,
  s,
  t,
  onDone,
}: {
  chat: Chat;
  s: ChatState;
  t: Strings;
  onDone: () => void;
}): JSX.Element {
  const [form, setForm] = useState({ name: s.customerName ?? '', phone: '', email: '', content: '' });
  const edited = useRef(false);
  // The name may arrive after the form opened (identity still loading): fill it unless typed over.
  useEffect(() => {
    if (s.customerName && !edited.current)
      setForm((f) => (f.name ? f : { ...f, name: s.customerName ?? '' }));
  }, [s.customerName]);
  const [state, setState] = useState<'edit' | 'busy' | 'done'>('edit');
  const [error, setError] = useState('');
  if (state === 'done')
    return (
      <div class="sys" data-testid="leave-done">
        {t.leaveDone}
      </div>
    );
  const field = (k: keyof typeof form, label: string, mode: 'text' | 'tel' | 'email' = 'text') => (
    <label>
      {label}
      <input
        type="text"
        inputMode={mode}
        name={k}
        value={form[k]}
        maxLength={k === 'email' ? 254 : 64}
        onInput={(e) => {
          if (k === 'name') edited.current = true;
          setForm({ ...form, [k]: e.currentTarget.value });
        }}
      />
    </label>
  );
  const submit = async (): Promise<void> => {
    setState('busy');
    setError('');
    try {
      const body = Object.fromEntries(Object.entries(form).filter(([, v]) => v.trim() !== '')) as typeof form;
      await chat.leaveMessage(body);
      setState('done');
      setTimeout(onDone, 4_000);
    } catch (err) {
      const invalid = err instanceof HttpError && err.status === 400;
      setError(invalid ? t.leaveInvalid : t.leaveFailed);
      setState('edit');
    }
  };
  return (
    <form
      class="fm"
      data-testid="leave-message"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3>{t.leaveTitle}</h3>
      {field('name', t.name)}
      {field('phone', t.phone, 'tel')}
      {field('email', t.email, 'email')}
      <label>
        {t.content}
        <textarea
          rows={3}
          required
          maxLength={2000}
          value={form.content}
          onInput={(e) => {
            setForm({ ...form, content: e.currentTarget.value });
          }}
        />
      </label>
      {error && (
        <div class="err" role="alert">
          {error}
        </div>
      )}
      <div class="row">
        <button type="submit" class="btn" disabled={state === 'busy' || !form.content.trim()}>
          {t.submit}
        </button>
      </div>
    </form>
  );
}
