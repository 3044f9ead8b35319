// Quick replies (快捷回复): the agent's personal ones, and the team's (editable with `config`). Used in the
// composer by typing "/" and the shortcut.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ErrorMessage } from '../components/error-message.js';
import type { Translate } from '../i18n/index.js';
import type { QuickReply } from '../types.js';

export function QuickReplies({
  api,
  t,
  canEditTeam,
}: {
  api: Api;
  t: Translate;
  canEditTeam: boolean;
}): JSX.Element {
  const [list, setList] = useState<QuickReply[]>([]);
  const [error, setError] = useState<unknown>();
  const load = (): void => {
    api.get<{ quick_replies: QuickReply[] }>('/agent/quick-replies').then(
      (b) => {
        setList(b.quick_replies);
      },
      (e: unknown) => {
        setError(e);
      },
    );
  };
  useEffect(load, []);
  const run = (p: Promise<unknown>): void => {
    p.then(
      () => {
        setError(undefined);
        load();
      },
      (e: unknown) => {
        setError(e);
      },
    );
  };
  const add = (e: Event): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const v = (name: string): string =>
      (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
    run(
      api.send('POST', '/agent/quick-replies', {
        scope: v('scope') || 'personal',
        shortcut: v('shortcut'),
        title: v('title'),
        text: v('text'),
      }),
    );
    form.reset();
  };
  return (
    <section aria-label={t('quickReplies')}>
      <h2>{t('quickReplies')}</h2>
      <ErrorMessage t={t} error={error} />
      <table class="quick-reply-table">
        <tbody>
          {list.map((r) => (
            <tr key={r.id} data-shortcut={r.shortcut}>
              <td>/{r.shortcut}</td>
              <td>{r.title}</td>
              <td>{r.text}</td>
              <td>{r.scope === 'team' ? t('team') : t('personal')}</td>
              <td>
                {r.scope === 'personal' || canEditTeam ? (
                  <button
                    type="button"
                    class="small"
                    onClick={() => {
                      run(api.send('DELETE', `/agent/quick-replies/${encodeURIComponent(r.id)}`));
                    }}
                  >
                    {t('delete')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline" onSubmit={add} aria-label={t('add')}>
        <input name="shortcut" placeholder={t('shortcut')} required maxLength={32} pattern="[^\s/]+" />
        <input name="title" placeholder={t('title')} required maxLength={64} />
        <input name="text" placeholder={t('content')} required maxLength={2000} />
        {canEditTeam ? (
          <select name="scope" aria-label={t('scope')}>
            <option value="personal">{t('personal')}</option>
            <option value="team">{t('team')}</option>
          </select>
        ) : null}
        <button type="submit" class="primary">
          {t('add')}
        </button>
      </form>
    </section>
  );
}
