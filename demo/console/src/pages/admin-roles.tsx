// Admin › roles: the permissions of each role, and which dashboard widgets each role sees. Roles,
// permissions and widgets show by their names in the agent's language, never by their codes.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { useLoad } from '../components/admin-form.js';
import { ErrorMessage } from '../components/error-message.js';
import type { StringKey, Translate } from '../i18n/index.js';
import { codeLabel } from '../labels.js';

export const ROLES = ['agent', 'supervisor', 'admin'] as const;
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

/** The permission table (PUT /admin/roles/:role on each change). */
export function RolePermissions({
  api,
  t,
  onSaved,
  onError,
}: {
  api: Api;
  t: Translate;
  onSaved: () => void;
  onError: (e: unknown) => void;
}): JSX.Element {
  const [roles, reload, error] = useLoad(() =>
    api.get<{ roles: { role: string; perms: string[] }[]; permissions: string[] }>('/admin/roles'),
  );
  const permissions = roles?.permissions ?? [];
  // What was asked for, shown until the server's answer is loaded again.
  const [pending, setPending] = useState<Record<string, string[]>>({});
  const save = (role: string, perms: string[]): void => {
    setPending((p) => ({ ...p, [role]: perms }));
    api.send('PUT', `/admin/roles/${encodeURIComponent(role)}`, { perms }).then(
      () => {
        onSaved();
        reload();
      },
      (e: unknown) => {
        onError(e);
        reload();
      },
    );
  };
  // The server's answer replaces what was asked for.
  useEffect(() => {
    setPending({});
  }, [roles]);
  return (
    <>
      <h2>{t('roles')}</h2>
      <ErrorMessage t={t} error={error} />
      <table class="role-permissions">
        <thead>
          <tr>
            <th>{t('role')}</th>
            {permissions.map((p) => (
              <th key={p} data-permission={p}>
                {codeLabel(t, 'permission', p)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {(roles?.roles ?? [])
            .map(({ role, perms }) => ({ role, perms: pending[role] ?? perms }))
            .map((r) => (
              <tr key={r.role} data-role={r.role}>
                <td>{codeLabel(t, 'role', r.role)}</td>
                {permissions.map((p) => (
                  <td key={p}>
                    <input
                      type="checkbox"
                      data-permission={p}
                      aria-label={`${codeLabel(t, 'role', r.role)} ${codeLabel(t, 'permission', p)}`}
                      checked={r.perms.includes(p)}
                      onChange={(e) => {
                        const on = (e.target as HTMLInputElement).checked;
                        save(r.role, on ? [...r.perms, p] : r.perms.filter((x) => x !== p));
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

/** Which dashboard widgets each role (岗位) sees. */
export function DashboardConfig({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [config, setConfig] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    for (const role of ROLES) {
      api.get<{ widgets: string[] }>(`/admin/dashboard/${role}`).then(
        (b) => {
          setConfig((c) => ({ ...c, [role]: b.widgets }));
        },
        (e: unknown) => {
          setError(e);
        },
      );
    }
  }, []);
  const toggle = (role: string, id: string, on: boolean): void => {
    const current = config[role] ?? [];
    const widgets = on ? [...current, id] : current.filter((x) => x !== id);
    // Shown at once (the box must not spring back while the request runs); undone if refused.
    setConfig((c) => ({ ...c, [role]: widgets }));
    api.send<{ widgets: string[] }>('PUT', `/admin/dashboard/${role}`, { widgets }).then(
      (b) => {
        setConfig((c) => ({ ...c, [role]: b.widgets }));
      },
      (e: unknown) => {
        setConfig((c) => ({ ...c, [role]: current }));
        setError(e);
      },
    );
  };
  const widget = (id: string): string => t(`w_${id}` as StringKey);
  return (
    <>
      <h2>{t('widgets')}</h2>
      <ErrorMessage t={t} error={error} />
      <table>
        <thead>
          <tr>
            <th>{t('role')}</th>
            {WIDGET_IDS.map((id) => (
              <th key={id}>{widget(id)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ROLES.map((role) => (
            <tr key={role} data-role={role}>
              <td>{codeLabel(t, 'role', role)}</td>
              {WIDGET_IDS.map((id) => (
                <td key={id}>
                  <input
                    type="checkbox"
                    data-widget={id}
                    aria-label={`${codeLabel(t, 'role', role)} ${widget(id)}`}
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
