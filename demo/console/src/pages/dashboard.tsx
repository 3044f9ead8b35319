// The personal workbench (个人工作台): the widgets configured for the agent's role, refreshed each minute.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import type { Translate } from '../i18n.js';
import type { DashboardWidget } from '../types.js';

function show(w: DashboardWidget): string {
  if (w.value === null) return '—';
  return `${String(w.value)}${w.unit ? ` ${w.unit}` : ''}`;
}

export function Dashboard({ api, t }: { api: Api; t: Translate }): JSX.Element {
  const [widgets, setWidgets] = useState<DashboardWidget[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    const load = (): void => {
      api.get<{ widgets: DashboardWidget[] }>('/agent/dashboard').then(
        (b) => {
          setWidgets(b.widgets);
          setError(undefined);
        },
        (e: unknown) => {
          setError(String(e));
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
      {error ? <p class="error">{t('error', { message: error })}</p> : null}
      <div class="widgets">
        {(widgets ?? []).map((w) => (
          <div class="widget" key={w.id} data-widget={w.id}>
            <div class="widget-value">{show(w)}</div>
            <div class="widget-title muted">{w.title}</div>
          </div>
        ))}
      </div>
    </section>
  );
}
