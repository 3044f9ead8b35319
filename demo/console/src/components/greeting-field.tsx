// A skill group's greeting (欢迎语): one text field and what it does — sent when the group's chats start,
// in every reception mode, `{agent}` for the serving agent's name, empty for the global greeting. Bound
// to `value` when given, else a plain form field named `greeting`.
import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.js';
import { valueOf } from './admin-form.js';

export function GreetingField({
  t,
  id,
  value,
  onInput,
}: {
  t: Translate;
  /** Unique on the page: names the hint the input is described by. */
  id: string;
  value?: string;
  onInput?: (v: string) => void;
}): JSX.Element {
  const hint = `${id}-hint`;
  return (
    <div class="greeting-field">
      <label>
        {t('groupGreeting')}{' '}
        <input
          name="greeting"
          size={60}
          maxLength={500}
          placeholder={t('builtInGreeting')}
          aria-describedby={hint}
          {...(value === undefined ? {} : { value })}
          onInput={(e) => {
            onInput?.(valueOf(e));
          }}
        />
      </label>
      <p class="muted hint" id={hint}>
        {t('groupGreetingHint')}
      </p>
    </div>
  );
}
