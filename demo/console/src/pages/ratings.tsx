// Rating templates (满意度评价, `config`): the default template, and per skill group either the default or
// a template of its own (GET /admin/rating-templates, PUT …/default, PUT|DELETE …/groups/:id). The
// agent's invite and the rating asked at close use the chat's group's template, else the default.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { useLoad } from '../components/admin-form.js';
import { ErrorMessage } from '../components/error-message.js';
import type { StringKey, Translate } from '../i18n/index.js';
import type { Group } from '../types.js';
import type { RatingTemplate, RatingTemplates } from './rating-draft.js';
import { RatingEditor } from './rating-editor.js';

const BASE = '/admin/rating-templates';

function GroupTemplate({
  api,
  t,
  group,
  own,
  data,
  onChanged,
}: {
  api: Api;
  t: Translate;
  group: Group;
  own: RatingTemplate | undefined;
  data: RatingTemplates;
  onChanged: () => void;
}): JSX.Element {
  // A template of its own being written (not saved yet: the group still uses the default).
  const [writing, setWriting] = useState(false);
  const [notice, setNotice] = useState<string>();
  const [error, setError] = useState<unknown>();
  const path = `${BASE}/groups/${encodeURIComponent(group.id)}`;
  const remove = (): void => {
    setNotice(undefined);
    api.send('DELETE', path).then(
      () => {
        setWriting(false);
        setError(undefined);
        setNotice(t('rt_removed', { group: group.name }));
        onChanged();
      },
      (e: unknown) => {
        setError(e);
      },
    );
  };
  const state = own
    ? t('rt_ownState', { scale: t(`scale_${own.scale}` as StringKey) })
    : writing
      ? t('rt_writing')
      : t('rt_useDefault');
  return (
    <fieldset class="group-template" data-group={group.name}>
      <legend>{group.name}</legend>
      <p>
        <span data-field="template-state">{state}</span>{' '}
        {!own && !writing ? (
          <button
            type="button"
            onClick={() => {
              setNotice(undefined);
              setWriting(true);
            }}
          >
            {t('rt_customize')}
          </button>
        ) : null}
        {notice ? (
          <span class="flash" role="status">
            {notice}
          </span>
        ) : null}
      </p>
      <ErrorMessage t={t} error={error} />
      {own || writing ? (
        <RatingEditor
          t={t}
          name={`${group.name} ${t('ratings')}`}
          initial={own ?? data.default}
          presets={data.presets}
          save={(body) => api.send<RatingTemplate>('PUT', path, body)}
          savedText={t('rt_savedGroup', { group: group.name })}
          onSaved={() => {
            setNotice(undefined);
            onChanged();
          }}
        >
          {own ? (
            <button type="button" onClick={remove}>
              {t('rt_remove')}
            </button>
          ) : (
            <button
              type="button"
              onClick={() => {
                setWriting(false);
              }}
            >
              {t('cancel')}
            </button>
          )}
        </RatingEditor>
      ) : null}
    </fieldset>
  );
}

export function RatingsPage({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [data, reload, error] = useLoad(() => api.get<RatingTemplates>(BASE));
  const [groupList, , groupsError] = useLoad(() => api.get<{ groups: Group[] }>('/admin/groups'));
  const groups = groupList?.groups ?? [];
  return (
    <section class="page admin ratings" aria-label={t('ratings')}>
      <h2>{t('ratings')}</h2>
      <ErrorMessage t={t} error={error ?? groupsError} />
      {data ? (
        <>
          <h3>{t('rt_defaultTitle')}</h3>
          <p class="muted">{t('rt_defaultHint')}</p>
          <RatingEditor
            t={t}
            name={t('rt_defaultTitle')}
            initial={data.default}
            presets={data.presets}
            save={(body) => api.send<RatingTemplate>('PUT', `${BASE}/default`, body)}
            savedText={t('rt_savedDefault')}
            onSaved={reload}
          />
          <h3>{t('rt_groupsTitle')}</h3>
          {groupList && groups.length === 0 ? <p class="muted">{t('rt_noGroups')}</p> : null}
          {groups.map((g) => (
            <GroupTemplate
              key={g.id}
              api={api}
              t={t}
              group={g}
              own={data.groups.find((x) => x.group_id === g.id)}
              data={data}
              onChanged={reload}
            />
          ))}
        </>
      ) : null}
    </section>
  );
}
