// The blacklist (路由设置 › 黑名单): customers whose chats are refused, with reason, author and expiry.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import {
  errorsOf,
  FieldErrors,
  Input,
  SmallButton,
  useLoad,
  type ShownError,
} from '../components/admin-form.js';
import { ErrorMessage } from '../components/error-message.js';
import type { Translate } from '../i18n/index.js';
import type { AgentAccount, BlacklistEntry } from '../types.js';

/** A time in the agent's locale ('' for none). */
export const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '');

export function Blacklist({
  api,
  t,
  agents,
}: {
  api: Api;
  t: Translate;
  agents: AgentAccount[];
}): JSX.Element {
  const [list, reload, loadError] = useLoad(() => api.get<{ entries: BlacklistEntry[] }>('/admin/blacklist'));
  const [errors, setErrors] = useState<ShownError[]>([]);
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
      <ErrorMessage t={t} error={loadError} />
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
