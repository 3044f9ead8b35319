// The latest routing events (路由设置 › 路由事件): what happened to each arriving chat, in words.
import type { JSX } from 'preact';
import { query, type Api } from '../api.js';
import { useLoad } from '../components/admin-form.js';
import { ErrorMessage } from '../components/error-message.js';
import type { Translate } from '../i18n/index.js';
import { codeLabel } from '../labels.js';
import type { AgentAccount, Group, RoutingEvent } from '../types.js';
import { when } from './routing-blacklist.js';

export function Events({
  api,
  t,
  groups,
  agents,
}: {
  api: Api;
  t: Translate;
  groups: Group[];
  agents: AgentAccount[];
}): JSX.Element {
  // The API lists oldest first: the last hour's, newest first here.
  const [events, reload, error] = useLoad(async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const b = await api.get<{ events: RoutingEvent[] }>(
      `/admin/routing/events${query({ from, limit: 1000 })}`,
    );
    return b.events.slice(-50).reverse();
  });
  return (
    <>
      <h2>
        {t('routingEvents')}{' '}
        <button type="button" class="small" onClick={reload}>
          {t('refresh')}
        </button>
      </h2>
      <ErrorMessage t={t} error={error} />
      <table class="routing-events">
        <thead>
          <tr>
            {(['time', 'type', 'channel', 'customer', 'toGroup', 'toAgent', 'waitMs', 'reason'] as const).map(
              (k) => (
                <th key={k}>{t(k)}</th>
              ),
            )}
          </tr>
        </thead>
        <tbody>
          {(events ?? []).map((ev, i) => (
            <tr key={i} data-event={ev.type}>
              <td>{when(ev.at)}</td>
              <td>{codeLabel(t, 'routingEvent', ev.type)}</td>
              <td>{codeLabel(t, 'channel', ev.channel)}</td>
              <td>{ev.customer_uid}</td>
              <td>{groups.find((g) => g.id === ev.group_id)?.name ?? ev.group_id}</td>
              <td>{agents.find((a) => a.uid === ev.agent_uid)?.display_name ?? ev.agent_uid}</td>
              <td>{ev.wait_ms}</td>
              <td>{codeLabel(t, 'reason', ev.reason)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
