// The personal workbench (个人工作台): the widgets configured for the agent's role, refreshed each minute.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { ErrorMessage } from '../components/error-message.js';
import { isStringKey, type Translate } from '../i18n/index.js';
import type { DashboardWidget } from '../types.js';
import { QuickReplies } from './quick-replies.js';

function show(t: Translate, w: DashboardWidget): string {
  if (w.value === null) return '—';
  const key = `unit_${w.unit ?? ''}`;
  const unit = isStringKey(key) ? t(key) : w.unit;
  return `${String(w.value)}${unit ? ` ${unit}` : ''}`;
}

/** The console's own label for a widget id (zh-CN/en); the server's title otherwise. */
function title(t: Translate, w: DashboardWidget): string {
  const key = `w_${w.id}`;
  return isStringKey(key) ? t(key) : w.title;
}

export function Dashboard({
  api,
  t,
  canEditTeam,
}: {
  api: Api;
  t: Translate;
  canEditTeam: boolean;
}): JSX.Element {
  const [widgets, setWidgets] = useState<DashboardWidget[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    const load = (): void => {
      api.get<{ widgets: DashboardWidget[] }>('/agent/dashboard').then(
        (b) => {
          setWidgets(b.widgets);
          setError(undefined);
        },
        (e: unknown) => {
          setError(e);
        },
      );
    };
    load();
    const timer = setInterval(load, 60_000);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return (
    <section class="page dashboard" aria-label={t('dashboard')}>
      <h2>{t('dashboard')}</h2>
      <ErrorMessage t={t} error={error} />
      <div class="widgets">
        {(widgets ?? []).map((w) => (
          <div class="widget" key={w.id} data-widget={w.id}>
            <div class="widget-value">{show(t, w)}</div>
            <div class="widget-title muted">{title(t, w)}</div>
          </div>
        ))}
      </div>
      <QuickReplies api={api} t={t} canEditTeam={canEditTeam} />
    </section>
  );
}
