// The signed-in console: top bar (the pages the agent may use, status, notifications, shortcuts help,
// language, sign-out), a reconnect banner, and the page chosen by the URL hash (#/workbench, #/dashboard,
// #/admin, #/routing, #/ratings). A page the agent may not use (a hash left by another account, a
// permission just taken away) says so in words instead of failing.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ChatPane } from './components/chat-pane.js';
import { ConversationList } from './components/conversation-list.js';
import { ShortcutHelp, useShortcuts } from './components/shortcuts.js';
import type { Locale, Translate } from './i18n/index.js';
import { askForNotifications, canAskForNotifications } from './notify.js';
import { Admin } from './pages/admin.js';
import { Dashboard } from './pages/dashboard.js';
import { RatingsPage } from './pages/ratings.js';
import { RoutingPage } from './pages/routing.js';
import { useStore } from './store.js';
import type { Me } from './types.js';
import type { AgentStatus, Workbench } from './workbench.js';

const PAGES = ['workbench', 'dashboard', 'admin', 'routing', 'ratings'] as const;
type Page = (typeof PAGES)[number];

/** The permission each page needs (the server checks the same on every call it makes). */
const NEEDS: Partial<Record<Page, string>> = { admin: 'config', routing: 'config', ratings: 'config' };

export function allowedPages(me: Me): Page[] {
  return PAGES.filter((p) => {
    const need = NEEDS[p];
    return !need || me.perms.includes(need);
  });
}

function pageFromHash(): Page {
  const h = location.hash.replace(/^#\/?/, '');
  return (PAGES as readonly string[]).includes(h) ? (h as Page) : 'workbench';
}

const STATUS_KEYS = {
  online: 'statusOnline',
  busy: 'statusBusy',
  away: 'statusAway',
  offline: 'statusOffline',
} as const;

function NoPermission({ t }: { t: Translate }): JSX.Element {
  return (
    <section class="page no-permission" role="alert" aria-label={t('noPermissionTitle')}>
      <h2>{t('noPermissionTitle')}</h2>
      <p>{t('noPermission')}</p>
      <a class="button" href="#/workbench">
        {t('backToWorkbench')}
      </a>
    </section>
  );
}

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
  const [help, setHelp] = useState(false);
  const connection = useStore(wb.store, (s) => s.connection);
  const status = useStore(wb.store, (s) => s.status);
  const me = useStore(wb.store, (s) => s.me);
  useEffect(() => {
    const onHash = (): void => {
      setPage(pageFromHash());
    };
    window.addEventListener('hashchange', onHash);
    return () => {
      window.removeEventListener('hashchange', onHash);
    };
  }, []);
  const pages = allowedPages(me);
  const allowed = pages.includes(page);
  useShortcuts(wb, page === 'workbench', { open: help, set: setHelp });
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
        <span class="me">{me.name}</span>
        <select
          aria-label={t('agentStatus')}
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
          class="help-button"
          aria-label={t('shortcutsHelp')}
          title={t('shortcutsHint')}
          onClick={() => {
            setHelp(true);
          }}
        >
          ?
        </button>
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
      {!allowed ? (
        <NoPermission t={t} />
      ) : page === 'workbench' ? (
        <div class="workbench">
          <ConversationList wb={wb} t={t} />
          <ChatPane wb={wb} t={t} />
        </div>
      ) : page === 'dashboard' ? (
        <Dashboard api={wb.api} t={t} canEditTeam={me.perms.includes('config')} />
      ) : page === 'admin' ? (
        <Admin key={me.agent_role} api={wb.api} t={t} />
      ) : page === 'routing' ? (
        <RoutingPage key={me.agent_role} api={wb.api} t={t} />
      ) : (
        <RatingsPage key={me.agent_role} api={wb.api} t={t} />
      )}
      {help ? (
        <ShortcutHelp
          t={t}
          onClose={() => {
            setHelp(false);
          }}
        />
      ) : null}
    </div>
  );
}
