// A failed request as the agent reads it: a translated sentence by the server's error code, the server's
// own message only as a tooltip (error-text.ts).
import type { JSX } from 'preact';
import { errorDetail, errorText } from '../error-text.js';
import type { Translate } from '../i18n/index.js';

export function ErrorMessage({
  t,
  error,
  inline = false,
}: {
  t: Translate;
  error: unknown;
  inline?: boolean;
}): JSX.Element | null {
  if (error === undefined || error === null) return null;
  const props = { class: 'error', role: 'alert' as const, title: errorDetail(error) || undefined };
  return inline ? <span {...props}>{errorText(t, error)}</span> : <p {...props}>{errorText(t, error)}</p>;
}
