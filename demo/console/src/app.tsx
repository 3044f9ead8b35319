// The signed-in console: top bar (pages, status, notifications, language, sign-out), a reconnect
// banner, and the page chosen by the URL hash (#/workbench, #/dashboard, #/admin, #/routing).
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ChatPane } from './components/chat-pane.js';
import { ConversationList } from './components/conversation-list.js';
import type { Locale, Translate } from './i18n/index.js';
import { askForNotifications, canAskForNotifications } from './notify.js';
import { Admin } from './pages/admin.js';
import { Dashboard } from './pages/dashboard.js';
import { RoutingPage } from './pages/routing.js';
import { useStore } from './store.js';
import type { AgentStatus, Workbench } from './workbench.js';

type Page = 'workbench' | 'dashboard' | 'admin' | 'routing';

function pageFromHash(): Page {
  const h = location.hash.replace(/^#\/?/, '');
  return h === 'dashboard' || h === 'admin' || h === 'routing' ? h : 'workbench';
}

const STATUS_KEYS = {
  online: 'statusOnline',
  busy: 'statusBusy',
  away: 'statusAway',
  offline: 'statusOffline',
} as const;

export function App({
  wb,
  t,
  locale,
  onLocale,
  onSignOut,
}: {
  wb: Workbench;
  t: Translate;
  locale: Locale;
  onLocale: (l: Locale) => void;
  onSignOut: () => void;
}): JSX.Element {
  const [page, setPage] = useState(pageFromHash());
  const [askNotify, setAskNotify] = useState(canAskForNotifications());
  const connection = useStore(wb.store, (s) => s.connection);
  const status = useStore(wb.store, (s) => s.status);
  useEffect(() => {
    const onHash = (): void => {
      setPage(pageFromHash());
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
  const isAdmin = wb.me.perms.includes('config');
  const pages: Page[] = isAdmin ? ['workbench', 'dashboard', 'admin', 'routing'] : ['workbench', 'dashboard'];
  return (
    <div class="app">
      <header class="top">
        <b class="brand">{t('appTitle')}</b>
        <nav>
          {pages.map((p) => (
            <a
              key={p}
              href={`#/${p}`}
              class={p === page ? 'active' : ''}
              aria-current={p === page ? 'page' : undefined}
            >
              {t(p)}
            </a>
          ))}
        </nav>
        <span class="spacer" />
        <span class="me">{wb.me.name}</span>
        <select
          aria-label="status"
          name="status"
          class={`status ${status}`}
          value={status}
          onChange={(e) => void wb.setStatus((e.target as HTMLSelectElement).value as AgentStatus)}
        >
          {(Object.keys(STATUS_KEYS) as AgentStatus[]).map((s) => (
            <option key={s} value={s}>
              {t(STATUS_KEYS[s])}
            </option>
          ))}
        </select>
        {askNotify ? (
          <button
            type="button"
            onClick={() =>
              void askForNotifications().finally(() => {
                setAskNotify(false);
              })
            }
          >
            {t('enableNotifications')}
          </button>
        ) : null}
        <button
          type="button"
          onClick={() => {
            onLocale(locale === 'en' ? 'zh-CN' : 'en');
          }}
        >
          {t('language')}
        </button>
        <button type="button" onClick={onSignOut}>
          {t('signOut')}
        </button>
      </header>
      {connection !== 'online' && status !== 'offline' ? (
        <div class="banner" role="status">
          {connection === 'connecting' || connection === 'idle' ? t('connecting') : t('reconnecting')}
        </div>
      ) : null}
      {page === 'workbench' ? (
        <div class="workbench">
          <ConversationList wb={wb} t={t} />
          <ChatPane wb={wb} t={t} />
        </div>
      ) : page === 'dashboard' ? (
        <Dashboard api={wb.api} t={t} canEditTeam={isAdmin} />
      ) : page === 'admin' ? (
        <Admin api={wb.api} t={t} />
      ) : (
        <RoutingPage api={wb.api} t={t} />
      )}
    </div>
  );
}
