// Leave-a-message: offered when no agent can answer (POST /api/v1/sdk/leave-messages).
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat } from './chat.js';
import type { Strings } from './i18n.js';

export function LeaveMessage({
  chat,
  t,
  onDone,
}: {
  chat: Chat;
  t: Strings;
  onDone: () => void;
}): JSX.Element {
  const [form, setForm] = useState({ name: '', phone: '', email: '', content: '' });
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
      setError(err instanceof Error ? err.message : String(err));
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
