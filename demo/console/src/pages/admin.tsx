// Admin pages (`config`): agents (role, reception limit, groups, disable), skill groups (with their
// greeting and routing: mode, business hours, overflow), and the permissions of each role.
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { useLoad } from '../components/admin-form.js';
import { ErrorMessage } from '../components/error-message.js';
import { GreetingField } from '../components/greeting-field.js';
import type { Translate } from '../i18n/index.js';
import { codeLabel } from '../labels.js';
import type { AgentAccount, Group } from '../types.js';
import { DashboardConfig, RolePermissions, ROLES } from './admin-roles.js';
import { GroupRouting } from './group-routing.js';

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
}

export function Admin({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [agents, reloadAgents, agentsError] = useLoad(() =>
    api.get<{ agents: AgentAccount[] }>('/admin/agents'),
  );
  const [groups, reloadGroups, groupsError] = useLoad(() => api.get<{ groups: Group[] }>('/admin/groups'));
  const [flash, setFlash] = useState<{ ok: true } | { error: unknown }>();
  const act = (fn: () => Promise<unknown>, after: () => void) => (): void => {
    fn().then(
      () => {
        setFlash({ ok: true });
        after();
      },
      (error: unknown) => {
        setFlash({ error });
      },
    );
  };

  const addAgent = (e: Event): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const body = {
      username: field(form, 'username'),
      display_name: field(form, 'display_name'),
      password: field(form, 'password'),
      role: field(form, 'role'),
      max_concurrent: Number(field(form, 'max_concurrent') || '10'),
      ...(field(form, 'email') ? { email: field(form, 'email') } : {}),
    };
    act(
      () => api.send('POST', '/admin/agents', body),
      () => {
        form.reset();
        reloadAgents();
      },
    )();
  };
  const addGroup = (e: Event): void => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    act(
      () => {
        const greeting = field(form, 'greeting');
        return api.send('POST', '/admin/groups', {
          name: field(form, 'name'),
          ...(greeting ? { greeting } : {}),
        });
      },
      () => {
        form.reset();
        reloadGroups();
      },
    )();
  };
  const patchAgent = (uid: string, patch: Record<string, unknown>): void => {
    act(
      () => api.send('PATCH', `/admin/agents/${encodeURIComponent(uid)}`, patch),
      () => {
        reloadAgents();
        reloadGroups();
      },
    )();
  };

  return (
    <section class="page admin" aria-label={t('admin')}>
      {flash && 'ok' in flash ? (
        <p class="flash" role="status">
          {t('saved')}
        </p>
      ) : null}
      {flash && 'error' in flash ? <ErrorMessage t={t} error={flash.error} /> : null}
      <h2>{t('agents')}</h2>
      <ErrorMessage t={t} error={agentsError} />
      <table>
        <thead>
          <tr>
            <th>{t('username')}</th>
            <th>{t('displayName')}</th>
            <th>{t('role')}</th>
            <th>{t('maxConcurrent')}</th>
            <th>{t('groups')}</th>
            <th>{t('disabled')}</th>
          </tr>
        </thead>
        <tbody>
          {(agents?.agents ?? []).map((a) => (
            <tr key={a.uid} data-agent={a.username}>
              <td>{a.username}</td>
              <td>{a.display_name}</td>
              <td>
                <select
                  name="role"
                  aria-label={`${a.display_name} ${t('role')}`}
                  value={a.role}
                  onChange={(e) => {
                    patchAgent(a.uid, { role: (e.target as HTMLSelectElement).value });
                  }}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {codeLabel(t, 'role', r)}
                    </option>
                  ))}
                </select>
              </td>
              <td>
                <input
                  type="number"
                  min={0}
                  max={100}
                  value={a.max_concurrent}
                  onChange={(e) => {
                    patchAgent(a.uid, { max_concurrent: Number((e.target as HTMLInputElement).value) });
                  }}
                />
              </td>
              <td>
                {(groups?.groups ?? []).map((g) => (
                  <label key={g.id} class="check">
                    <input
                      type="checkbox"
                      checked={a.group_ids.includes(g.id)}
                      onChange={(e) => {
                        patchAgent(a.uid, {
                          group_ids: (e.target as HTMLInputElement).checked
                            ? [...a.group_ids, g.id]
                            : a.group_ids.filter((x) => x !== g.id),
                        });
                      }}
                    />
                    {g.name}
                  </label>
                ))}
              </td>
              <td>
                <input
                  type="checkbox"
                  name="disabled"
                  aria-label={`${a.display_name} ${t('disabled')}`}
                  checked={a.disabled}
                  onChange={(e) => {
                    patchAgent(a.uid, { disabled: (e.target as HTMLInputElement).checked });
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="inline" onSubmit={addAgent} aria-label={t('add')}>
        <input name="username" placeholder={t('username')} required maxLength={64} />
        <input name="display_name" placeholder={t('displayName')} required maxLength={64} />
        <input name="email" type="email" placeholder={t('email')} maxLength={200} />
        <input
          name="password"
          type="password"
          placeholder={t('password')}
          required
          minLength={8}
          autocomplete="new-password"
        />
        <select name="role">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {codeLabel(t, 'role', r)}
            </option>
          ))}
        </select>
        <input name="max_concurrent" type="number" min={0} max={100} placeholder={t('maxConcurrent')} />
        <button type="submit" class="primary">
          {t('add')}
        </button>
      </form>

      <h2>{t('groups')}</h2>
      <ErrorMessage t={t} error={groupsError} />
      <ul>
        {(groups?.groups ?? []).map((g) => (
          <li key={g.id} data-group={g.name}>
            <b>{g.name}</b>{' '}
            <span class="muted">
              {t('members')}: {g.member_uids.length}
            </span>
            {g.greeting ? (
              <span class="muted" data-field="greeting">
                {' · '}
                {t('n_greeting')}：{g.greeting}
              </span>
            ) : null}
            <GroupRouting
              api={api}
              t={t}
              group={g}
              groups={groups?.groups ?? []}
              agents={agents?.agents ?? []}
              onSaved={reloadGroups}
            />
          </li>
        ))}
      </ul>
      <form class="add-group" onSubmit={addGroup} aria-label={t('addGroup')}>
        <div class="inline">
          <input name="name" placeholder={t('groups')} aria-label={t('groupName')} required maxLength={64} />
          <button type="submit" class="primary">
            {t('add')}
          </button>
        </div>
        <GreetingField t={t} id="kefu-greeting-new" />
      </form>

      <RolePermissions
        api={api}
        t={t}
        onSaved={() => {
          setFlash({ ok: true });
        }}
        onError={(error) => {
          setFlash({ error });
        }}
      />
      <DashboardConfig api={api} t={t} />
    </section>
  );
}
