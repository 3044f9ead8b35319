// Admin pages (`config`): agents (role, reception limit, groups, disable), skill groups (with their
// routing: mode, business hours, overflow), and the permissions of each role.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { useLoad } from '../components/admin-form.js';
import type { StringKey, Translate } from '../i18n/index.js';
import type { AgentAccount, Group } from '../types.js';
import { GroupRouting } from './group-routing.js';

const ROLES = ['agent', 'supervisor', 'admin'] as const;
const WIDGET_IDS = [
  'my_open',
  'queue_length',
  'my_frt_today',
  'my_closed_today',
  'my_rating_avg',
  'my_satisfaction',
  'team_online',
  'team_open',
] as const;

/** Which dashboard widgets each role (岗位) sees. */
function DashboardConfig({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [config, setConfig] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string>();
  useEffect(() => {
    for (const role of ROLES) {
      api.get<{ widgets: string[] }>(`/admin/dashboard/${role}`).then(
        (b) => {
          setConfig((c) => ({ ...c, [role]: b.widgets }));
        },
        (e: unknown) => {
          setError(String(e));
        },
      );
    }
  }, []);
  const toggle = (role: string, id: string, on: boolean): void => {
    const current = config[role] ?? [];
    const widgets = on ? [...current, id] : current.filter((x) => x !== id);
    api.send<{ widgets: string[] }>('PUT', `/admin/dashboard/${role}`, { widgets }).then(
      (b) => {
        setConfig((c) => ({ ...c, [role]: b.widgets }));
      },
      (e: unknown) => {
        setError(String(e));
      },
    );
  };
  return (
    <>
      <h2>{t('widgets')}</h2>
      {error ? <p class="error">{error}</p> : null}
      <table>
        <thead>
          <tr>
            <th>{t('role')}</th>
            {WIDGET_IDS.map((id) => (
              <th key={id}>{t(`w_${id}` as StringKey)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROLES.map((role) => (
            <tr key={role} data-role={role}>
              <td>{role}</td>
              {WIDGET_IDS.map((id) => (
                <td key={id}>
                  <input
                    type="checkbox"
                    aria-label={`${role} ${id}`}
                    checked={(config[role] ?? []).includes(id)}
                    onChange={(e) => {
                      toggle(role, id, (e.target as HTMLInputElement).checked);
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function field(form: HTMLFormElement, name: string): string {
  return (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
}

export function Admin({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [agents, reloadAgents, agentsError] = useLoad(() =>
    api.get<{ agents: AgentAccount[] }>('/admin/agents'),
  );
  const [groups, reloadGroups, groupsError] = useLoad(() => api.get<{ groups: Group[] }>('/admin/groups'));
  const [roles, reloadRoles] = useLoad(() =>
    api.get<{ roles: { role: string; perms: string[] }[]; permissions: string[] }>('/admin/roles'),
  );
  const [message, setMessage] = useState<string>();
  const act = (fn: () => Promise<unknown>, after: () => void) => (): void => {
    fn().then(
      () => {
        setMessage(t('saved'));
        after();
      },
      (e: unknown) => {
        setMessage(t('error', { message: e instanceof Error ? e.message : String(e) }));
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
      () => api.send('POST', '/admin/groups', { name: field(form, 'name') }),
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
      {message ? (
        <p class="flash" role="status">
          {message}
        </p>
      ) : null}
      <h2>{t('agents')}</h2>
      {agentsError ? <p class="error">{agentsError}</p> : null}
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
                  value={a.role}
                  onChange={(e) => {
                    patchAgent(a.uid, { role: (e.target as HTMLSelectElement).value });
                  }}
                >
                  {ROLES.map((r) => (
                    <option key={r}>{r}</option>
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
            <option key={r}>{r}</option>
          ))}
        </select>
        <input name="max_concurrent" type="number" min={0} max={100} placeholder={t('maxConcurrent')} />
        <button type="submit" class="primary">
          {t('add')}
        </button>
      </form>

      <h2>{t('groups')}</h2>
      {groupsError ? <p class="error">{groupsError}</p> : null}
      <ul>
        {(groups?.groups ?? []).map((g) => (
          <li key={g.id} data-group={g.name}>
            <b>{g.name}</b>{' '}
            <span class="muted">
              {t('members')}: {g.member_uids.length}
            </span>
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
      <form class="inline" onSubmit={addGroup}>
        <input name="name" placeholder={t('groups')} required maxLength={64} />
        <button type="submit" class="primary">
          {t('add')}
        </button>
      </form>

      <h2>{t('roles')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t('role')}</th>
            {(roles?.permissions ?? []).map((p) => (
              <th key={p}>{p}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(roles?.roles ?? []).map((r) => (
            <tr key={r.role}>
              <td>{r.role}</td>
              {(roles?.permissions ?? []).map((p) => (
                <td key={p}>
                  <input
                    type="checkbox"
                    aria-label={`${r.role} ${p}`}
                    checked={r.perms.includes(p)}
                    onChange={(e) => {
                      const perms = (e.target as HTMLInputElement).checked
                        ? [...r.perms, p]
                        : r.perms.filter((x) => x !== p);
                      act(() => api.send('PUT', `/admin/roles/${r.role}`, { perms }), reloadRoles)();
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <DashboardConfig api={api} t={t} />
    </section>
  );
}
