// Sign-in: a local account, or single sign-on when the server has an identity provider configured.
import { ApiError, signIn, type GrantBody } from '@kefu/sdk-web/agent';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../error-text.js';
import type { Translate } from '../i18n/index.js';

/** What a failed sign-in says, in the console's language (the server's codes, never its English text). */
function signInError(t: Translate, err: unknown): string {
  const code = err instanceof ApiError ? err.code : '';
  if (code === 'unauthenticated') return t('wrongPassword');
  if (code === 'rate_limited') return t('accountLocked');
  if (code === 'forbidden') return t('accountDisabled');
  return t('signInFailed', { message: errorText(t, err) });
}

export function Login({
  server,
  t,
  notice,
  onSignedIn,
}: {
  server: string;
  t: Translate;
  notice?: string | undefined;
  onSignedIn: (grant: GrantBody) => void;
}): JSX.Element {
  const [sso, setSso] = useState<{ enabled: boolean; name?: string }>({ enabled: false });
  const [error, setError] = useState(notice);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    fetch(`${server}/api/v1/agent/sso/config`)
      .then((r) => (r.ok ? (r.json() as Promise<{ enabled: boolean; name?: string }>) : { enabled: false }))
      .then(setSso, () => undefined);
  }, []);
  const submit = (e: Event): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const value = (name: string): string => (form.elements.namedItem(name) as HTMLInputElement).value;
    setBusy(true);
    signIn(server, '/api/v1/agent/sessions', {
      username: value('username').trim(),
      password: value('password'),
    }).then(onSignedIn, (err: unknown) => {
      setBusy(false);
      setError(signInError(t, err));
    });
  };
  const ssoHref = `${server}/api/v1/agent/sso/login?return_to=${encodeURIComponent(location.pathname)}`;
  return (
    <main class="login">
      <form onSubmit={submit} aria-label={t('signIn')}>
        <h1>{t('appTitle')}</h1>
        {error ? (
          <p class="error" role="alert">
            {error}
          </p>
        ) : null}
        <label>
          {t('username')}
          <input name="username" autocomplete="username" required maxLength={64} />
        </label>
        <label>
          {t('password')}
          <input name="password" type="password" autocomplete="current-password" required maxLength={256} />
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {t('signIn')}
        </button>
        {sso.enabled ? (
          <a class="button sso" href={ssoHref}>
            {t('signInWith', { name: sso.name ?? 'SSO' })}
          </a>
        ) : null}
      </form>
    </main>
  );
}
