// Console entry: finishes an SSO return (#sso=<ticket>), resumes the agent signed in on this device, or
// shows the sign-in page; then connects the agent client and renders the workbench.
import { createBrowserAgentClient, signIn, type AgentClient, type GrantBody } from '@kefu/sdk-web/agent';
import { render } from 'preact';
import { App } from './app.js';
import { createApi } from './api.js';
import { ssoErrorText } from './error-text.js';
import { translator, type Locale } from './i18n/index.js';
import { saveLocale, savedLocale } from './i18n/locale.js';
import { Login } from './pages/login.js';
import type { Me } from './types.js';
import { Workbench } from './workbench.js';

const UID_KEY = 'kefu:console:uid';
const server = location.origin;
const root = document.getElementById('app') ?? document.body;
let locale: Locale = savedLocale();
let current: { wb: Workbench; client: AgentClient } | undefined;

function remember(uid: string | undefined): void {
  try {
    if (uid) localStorage.setItem(UID_KEY, uid);
    else localStorage.removeItem(UID_KEY);
  } catch {
    // Storage off: the agent signs in again after a reload.
  }
}

function showLogin(notice?: string): void {
  const t = translator(locale);
  document.title = t('appTitle');
  render(<Login server={server} t={t} notice={notice} onSignedIn={(g) => void start(g)} />, root);
}

function paint(): void {
  if (!current) return;
  const t = translator(locale);
  document.documentElement.lang = locale;
  render(
    <App
      wb={current.wb}
      t={t}
      locale={locale}
      onLocale={(l) => {
        locale = l;
        saveLocale(l);
        if (current) {
          current.wb.t = translator(l);
          current.wb.locale = l;
        }
        paint();
      }}
      onSignOut={() => void signOut()}
    />,
    root,
  );
}

async function start(source: GrantBody | { resume: string }): Promise<void> {
  const client = createBrowserAgentClient({ server, session: source });
  try {
    await client.start();
  } catch {
    remember(undefined);
    showLogin(translator(locale)('sessionEnded'));
    return;
  }
  const api = createApi(server, client);
  const me = await api.get<Me>('/agent/me').catch(() => undefined);
  const session = await client.sessions.current();
  const wb = new Workbench(
    api,
    client,
    me ?? { uid: session.uid, name: session.name ?? session.uid, agent_role: 'agent', perms: session.perms },
    translator(locale),
    locale,
  );
  remember(session.uid);
  client.on('error', (e) => {
    // Only the session on screen: a client signed out before (another account since) may still report.
    if (current?.client !== client) return;
    if (e.code === 'signed_out' || client.status === 'stopped')
      void signOut(translator(locale)('sessionEnded'));
  });
  current = { wb, client };
  paint();
  await wb.loadList();
}

async function signOut(notice?: string): Promise<void> {
  const c = current;
  current = undefined;
  remember(undefined);
  if (c) {
    c.wb.dispose();
    await c.client.stop().catch(() => undefined);
    await c.client.sessions.logout().catch(() => undefined);
  }
  showLogin(notice);
}

function boot(): void {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ''));
  const ticket = hash.get('sso');
  const ssoError = hash.get('sso_error');
  if (ticket || ssoError) history.replaceState(null, '', location.pathname + location.search);
  if (ticket) {
    signIn(server, '/api/v1/agent/sso/exchange', { ticket }).then(
      (g) => void start(g),
      () => {
        showLogin(ssoErrorText(translator(locale), 'exchange'));
      },
    );
    return;
  }
  if (ssoError) {
    showLogin(ssoErrorText(translator(locale), ssoError));
    return;
  }
  let uid: string | null;
  try {
    uid = localStorage.getItem(UID_KEY);
  } catch {
    uid = null;
  }
  if (uid) void start({ resume: uid });
  else showLogin();
}

boot();
