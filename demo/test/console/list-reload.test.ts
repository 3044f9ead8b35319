// The conversation list's reloads after live changes (workbench.ts, list-reload.ts): one request at a
// time however many changes arrive, the first change at once, only the newest answer shown. A fake
// server (answers after a set time) and fake timers; the agent client is an event emitter.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { kefu } from '@kefu/proto';
import type { AgentClient } from '@kefu/sdk-web/agent';
import type { Api } from '../../console/src/api.js';
import { translator } from '../../console/src/i18n/index.js';
import type { ConversationSummary } from '../../console/src/types.js';
import { Workbench } from '../../console/src/workbench.js';

const ME = { uid: 'a1', name: '小王', agent_role: 'agent' as const, perms: [] };

/** One list request as the fake server saw it; `changes`: how many changes had happened when it began. */
interface ListRequest {
  path: string;
  startedAt: number;
  changes: number;
}

/** The console's view of the server: list requests answer after `answerMs(n)` (n: 0 for the first). */
function fakeServer(answerMs: (n: number) => number, fail: (n: number) => boolean = () => false) {
  const requests: ListRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let changes = 0;
  const api: Api = {
    server: 'http://127.0.0.1:1',
    token: () => Promise.resolve('token'),
    send: () => Promise.reject(new Error('not used')),
    get: <T>(path: string): Promise<T> => {
      if (!path.startsWith('/agent/conversations')) return Promise.resolve(ME as T);
      const n = requests.length;
      const seen = changes;
      requests.push({ path, startedAt: Date.now(), changes: seen });
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return new Promise<T>((resolve, reject) => {
        setTimeout(() => {
          inFlight -= 1;
          if (fail(n)) reject(new Error('503'));
          else resolve({ conversations: [summary(`after-${String(seen)}-changes`)] } as T);
        }, answerMs(n));
      });
    },
  };
  return {
    api,
    requests,
    maxInFlight: () => maxInFlight,
    /** A change on the server: what later list requests see. */
    change: () => {
      changes += 1;
    },
  };
}

function summary(id: string): ConversationSummary {
  return {
    id,
    status: 'open',
    channel: 'web',
    customer: { uid: `c-${id}`, name: '张三' },
    agent_uid: ME.uid,
    unread: 0,
    last_message: null,
    created_at: new Date(0).toISOString(),
    waiting_ms: 0,
  };
}

/** The agent client's events, fired by the test. */
function fakeClient() {
  const handlers = new Map<string, ((x: unknown) => void)[]>();
  const client = {
    status: 'online',
    on: (name: string, fn: (x: unknown) => void) => {
      handlers.set(name, [...(handlers.get(name) ?? []), fn]);
      return () => {
        handlers.set(
          name,
          (handlers.get(name) ?? []).filter((h) => h !== fn),
        );
      };
    },
  };
  const emit = (name: string, x: unknown): void => {
    for (const fn of handlers.get(name) ?? []) fn(x);
  };
  return { client: client as unknown as AgentClient, emit };
}

/** The state of an open chat of someone else, as the server sends one per open chat at sign-in. */
const state = (i: number): kefu.v1.IConversationState => ({
  id: `conv-${String(i)}`,
  status: kefu.v1.ConversationStatus.CONVERSATION_STATUS_OPEN,
  agent: { uid: 'a2' },
});

let wb: Workbench | undefined;

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  const events = { addEventListener: () => undefined, removeEventListener: () => undefined };
  vi.stubGlobal('document', { ...events, visibilityState: 'visible', title: '' });
  vi.stubGlobal('window', events);
});

afterEach(() => {
  wb?.dispose();
  wb = undefined;
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function workbench(server: ReturnType<typeof fakeServer>) {
  const { client, emit } = fakeClient();
  wb = new Workbench(server.api, client, ME, translator('zh-CN'));
  return { wb, emit };
}

/** A timer of 0 ms set while fake timers run fires 1 ms later. */
function expectAround(at: number | undefined, expected: number): void {
  expect(at).toBeGreaterThanOrEqual(expected);
  expect(at).toBeLessThanOrEqual(expected + 1);
}

const shown = (w: Workbench): string[] => w.state.conversations.map((c) => c.id);

describe('Workbench list reloads', () => {
  it('signing in with 200 open chats on a slow server costs two list requests, one at a time', async () => {
    const server = fakeServer(() => 2_500);
    const { wb, emit } = workbench(server);
    const start = Date.now();
    // As main.tsx does: the list at once, then one state per open chat over 2 s.
    const first = wb.loadList();
    for (let i = 0; i < 200; i++) {
      server.change();
      emit('conversation', state(i));
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(500);
    await first;
    expect(shown(wb)).toEqual(['after-0-changes']);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(2);
    expect(server.maxInFlight()).toBe(1);
    // The second starts when the first answers, and sees every change.
    expectAround(server.requests[1]?.startedAt, start + 2_500);
    expect(shown(wb)).toEqual(['after-200-changes']);
    expect(wb.state.listLoading).toBe(false);
  });

  it('a burst of 200 changes during a slow reload costs one more request', async () => {
    const server = fakeServer(() => 3_000);
    const { wb, emit } = workbench(server);
    const start = Date.now();
    for (let i = 0; i < 200; i++) {
      server.change();
      emit('conversation', state(i));
      await vi.advanceTimersByTimeAsync(i === 0 ? 0 : 10);
      // The first change reloads at once.
      if (i === 0) expect(server.requests.map((r) => r.startedAt)).toEqual([start]);
    }
    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0]?.startedAt).toBe(start);
    expectAround(server.requests[1]?.startedAt, start + 3_000);
    expect(server.maxInFlight()).toBe(1);
    expect(shown(wb)).toEqual(['after-200-changes']);
  });

  it('reloads a quick server at once for the first change, then at most once per 250 ms', async () => {
    const server = fakeServer(() => 20);
    const { wb, emit } = workbench(server);
    const start = Date.now();
    emit('event', { conversationId: 'conv-1' });
    await vi.advanceTimersByTimeAsync(0);
    expect(server.requests).toHaveLength(1);
    for (let t = 0; t < 1_000; t += 30) {
      server.change();
      emit('conversation', state(t));
      await vi.advanceTimersByTimeAsync(30);
    }
    await vi.advanceTimersByTimeAsync(1_000);
    const starts = server.requests.map((r) => r.startedAt - start);
    expect(starts).toEqual([0, 250, 500, 750, 1_000]);
    expect(server.maxInFlight()).toBe(1);
    expect(shown(wb)).toEqual([`after-${String(server.requests.at(-1)?.changes)}-changes`]);
    expect(server.requests.at(-1)?.changes).toBe(34);
  });

  it('shows only the newest answer: another view asked for meanwhile wins over a slow reload', async () => {
    // The reload for the change answers after 2 s; the agent's switch to 排队 after 100 ms.
    const server = fakeServer((n) => (n === 0 ? 2_000 : 100));
    const { wb, emit } = workbench(server);
    emit('conversation', state(1));
    await vi.advanceTimersByTimeAsync(500);
    server.change();
    const switching = wb.setView('queued');
    await vi.advanceTimersByTimeAsync(100);
    await switching;
    expect(wb.state.view).toBe('queued');
    expect(shown(wb)).toEqual(['after-1-changes']);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.requests.map((r) => r.path)).toEqual([
      '/agent/conversations?view=mine&limit=500',
      '/agent/conversations?view=queued&limit=500',
    ]);
    expect(shown(wb)).toEqual(['after-1-changes']);
  });

  it('runs the reload asked for during a failed request, and clears the error', async () => {
    const server = fakeServer(
      () => 1_000,
      (n) => n === 0,
    );
    const { wb, emit } = workbench(server);
    emit('status', 'online');
    await vi.advanceTimersByTimeAsync(500);
    server.change();
    emit('conversation', state(1));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(wb.state.listError).toBeInstanceOf(Error);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.requests).toHaveLength(2);
    expect(shown(wb)).toEqual(['after-1-changes']);
    expect(wb.state.listError).toBeUndefined();
  });

  it('asks for nothing more once disposed', async () => {
    const server = fakeServer(() => 1_000);
    const { wb, emit } = workbench(server);
    emit('conversation', state(1));
    await vi.advanceTimersByTimeAsync(100);
    // Waits for the first to answer; the console is closed before that.
    emit('conversation', state(2));
    wb.dispose();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.requests).toHaveLength(1);
  });
});
