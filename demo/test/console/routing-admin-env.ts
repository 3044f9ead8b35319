// The console's routing admin pages on the real stack (stack.ts: server, embedded broker, FerretDB,
// Chromium): skill groups 售后组 and VIP组, agent 小李, and the admin's page. Started before the file's tests
// and stopped after them; read it inside tests only.
import { afterAll, beforeAll } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import type { KefuServer } from '../../../server/src/server.js';
import { startStack, type Stack } from './stack.js';

export interface GroupBody {
  id: string;
  name: string;
  mode: string | null;
  business_hours: { timezone: string; windows: { days: number[]; start: string; end: string }[] } | null;
  overflow: { when: string; to: { group_id?: string; agent_uid?: string } }[];
}

export interface RoutingAdminEnv {
  server: KefuServer;
  page: Page;
  /** The admin's JSON API. */
  api: Stack['api'];
  /** Group ids by name, and 小李's uid under `xiaoli`. */
  ids: Record<string, string>;
  pageErrors: string[];
  /** The stored routing settings. */
  routing: () => Promise<Record<string, unknown>>;
  group: (name: string) => Promise<GroupBody | undefined>;
  /** The routing settings form, and saving it. */
  form: () => Locator;
  save: () => Promise<void>;
}

export function useRoutingAdmin(label: string): RoutingAdminEnv {
  let stack: Stack | undefined;
  const started = (): Stack => {
    if (!stack) throw new Error('the stack starts in beforeAll');
    return stack;
  };
  const r: RoutingAdminEnv = {
    server: undefined as unknown as KefuServer,
    page: undefined as unknown as Page,
    ids: {},
    pageErrors: [],
    api: (method, path, body) => started().api(method, path, body),
    routing: () => r.api('GET', '/admin/routing'),
    group: async (name) =>
      ((await r.api('GET', '/admin/groups'))['groups'] as GroupBody[]).find((g) => g.name === name),
    form: () => r.page.locator('form.routing-form'),
    save: async () => {
      await r.form().locator('button[type=submit]').click();
    },
  };

  beforeAll(async () => {
    stack = await startStack(label, {
      agents: [{ username: 'xiaoli', display_name: '小李', role: 'agent', password: 'xiaoli-pass-1' }],
    });
    r.server = stack.server;
    r.pageErrors = stack.pageErrors;
    for (const name of ['售后组', 'VIP组'])
      r.ids[name] = String((await r.api('POST', '/admin/groups', { name }))['id']);
    r.ids['xiaoli'] = stack.uids['xiaoli'] ?? '';
    r.page = await stack.page();
  }, 180_000);

  afterAll(async () => {
    await stack?.stop();
  });
  return r;
}
