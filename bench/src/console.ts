// npm run bench:console -- [--conversations 500] [--messages 10000] [--runs 6] [--settle 5000] [--smoke]
//
// The agent console in a real Chromium against the compiled server (embedded broker) and FerretDB:
// one agent with N open conversations (opened by real customer clients), one of them holding M messages
// (bulk-inserted, as years of history would be). Measures, inside the page:
//   - open: click on the big conversation → its newest message is on screen (fresh page each run);
//   - history scroll: frame times while scrolling up through paged history, and how many message rows
//     the DOM holds (virtualised: stays small);
//   - list: first paint of the conversation list after sign-in, frame times while scrolling it, and
//     click → chat pane latency.
// `--smoke`: a few conversations and messages, short scrolls (the test suite runs it; figures
// meaningless). Prints one JSON object. Everything runs on loopback and stops by itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import type { Browser } from 'playwright-core';
import {
  createAgentClient,
  createMemoryStorage,
  type AgentClient,
  type CustomerClient,
} from '@kefu/sdk-core';
import { launchChromium } from '@kefu/tools';
import { http, log, transport } from './clients.js';
import {
  clickRows,
  frameStats,
  lastHistoryRequest,
  messageRows,
  openConversation,
  p50,
  scrollFrames,
  signIn,
} from './console-page.js';
import { insertHistory, openConversations } from './console-seed.js';
import { AGENT, setUpAgent, startConsoleStack, type ConsoleStack } from './console-stack.js';
import { percentile, round } from './stats.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string' },
    messages: { type: 'string' },
    runs: { type: 'string' },
    settle: { type: 'string' },
    smoke: { type: 'boolean', default: false },
  },
});
const SMOKE = values.smoke;
const number = (given: string | undefined, full: number, smoke: number): number =>
  given === undefined ? (SMOKE ? smoke : full) : Number(given);
const CONVERSATIONS = number(values.conversations, 500, 5);
const MESSAGES = number(values.messages, 10_000, 300);
const RUNS = Math.max(2, number(values.runs, 6, 2));
const SETTLE_MS = number(values.settle, 5_000, 200);
const LIST_SCROLL_MS = SMOKE ? 500 : 3_000;
const HISTORY_SCROLL_MS = SMOKE ? 1_500 : 6_000;
const CLICKS = SMOKE ? 3 : 10;

/** The bench agent on line from a second device for the whole run: chats are seated with online agents. */
async function agentOnline(base: string): Promise<AgentClient> {
  const agent = createAgentClient({
    baseUrl: base,
    transport,
    http,
    storage: createMemoryStorage(),
    username: AGENT.username,
    password: AGENT.password,
  });
  await agent.start();
  const deadline = Date.now() + 30_000;
  while (agent.status !== 'online') {
    if (Date.now() > deadline) throw new Error(`the bench agent is not online (${agent.status})`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return agent;
}

async function measure(stack: ConsoleStack, browser: Browser, customers: CustomerClient[]) {
  const { base } = stack;
  const agentUid = await setUpAgent(base, CONVERSATIONS);
  const agent = await agentOnline(base);
  const conn = await mongoose.createConnection(stack.mongodbUri).asPromise();
  try {
    const database = conn.db;
    if (!database) throw new Error('no database handle');
    log(`opening ${String(CONVERSATIONS)} conversations through real customer clients`);
    const { ids, clientOf, customerOf } = await openConversations(base, CONVERSATIONS, agentUid, customers);
    const big = ids[0] ?? '';
    await insertHistory(database, { id: big, customerUid: customerOf.get(big) ?? '', agentUid }, MESSAGES);

    log('measuring');
    const opens: number[] = [];
    const fetches: number[] = [];
    const signIns: number[] = [];
    let first: Record<string, unknown> = {};
    let newest = MESSAGES;
    for (let run = 0; run < RUNS; run++) {
      if (run > 0) {
        // The chat goes on between opens: the customer writes again (a live message, stored by the
        // server like any other), so each open must show a message the previous one did not have.
        await clientOf.get(big)?.sendText(big, `第 ${String(run)} 次打开前的新消息`);
        newest += 1;
      }
      const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await p.addInitScript(() => {
        localStorage.clear();
      });
      signIns.push(await signIn(p, base));
      // The big conversation is on the list (the newest activity): open it.
      await p.waitForSelector(`[data-conversation="${big}"]`, { timeout: 60_000 });
      // An agent opens a chat seconds after signing in, not within the same frame: let the sign-in
      // traffic (the state of every open conversation over MQTT) settle first.
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      opens.push(await openConversation(p, big, newest));
      fetches.push(await lastHistoryRequest(p));
      if (run === 0) {
        const listFrames = await scrollFrames(p, '.conv-scroll', 1, LIST_SCROLL_MS);
        const historyFrames = await scrollFrames(p, '.thread', -1, HISTORY_SCROLL_MS);
        const { rows, oldestSeq } = await messageRows(p);
        const clicks = await clickRows(p, CLICKS);
        first = {
          history_scroll: {
            ...frameStats(historyFrames),
            message_rows_in_dom: rows,
            oldest_seq_reached: oldestSeq,
          },
          list_scroll: frameStats(listFrames),
          list_click_to_chat_ms: {
            p50: round(
              percentile(
                [...clicks.filter((c) => c >= 0)].sort((a, b) => a - b),
                50,
              ),
            ),
            max: round(Math.max(...clicks)),
          },
        };
      }
      await p.close();
    }
    return {
      bench: 'console',
      smoke: SMOKE,
      conversations: CONVERSATIONS,
      messages_in_big_conversation: MESSAGES,
      runs: RUNS,
      settle_ms_before_open: SETTLE_MS,
      // The first open reads history nobody has read since the bulk import; later ones follow live messages.
      first_open_after_bulk_import_ms: {
        open: round(opens[0] ?? -1),
        history_request: round(fetches[0] ?? -1),
      },
      open_big_conversation_ms: {
        p50: p50(opens.slice(1)),
        max: round(Math.max(...opens.slice(1))),
        all: opens.slice(1).map((x) => round(x)),
        target_ms: 300,
      },
      of_which_history_request_ms: { p50: p50(fetches.slice(1)), max: round(Math.max(...fetches.slice(1))) },
      sign_in_to_list_ms: { p50: p50(signIns), max: round(Math.max(...signIns)) },
      ...first,
    };
  } finally {
    await agent.stop().catch(() => undefined);
    await conn.close();
  }
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kefu-bench-console-'));
  const customers: CustomerClient[] = [];
  let stack: ConsoleStack | undefined;
  let browser: Browser | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.all(customers.map((c) => c.stop().catch(() => undefined)));
      await browser?.close();
      await stack?.stop();
      await rm(dataDir, { recursive: true, force: true });
    })());
  // Stopped from outside (Ctrl-C, a test's timeout): FerretDB, the server and Chromium go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      void stop().finally(() => process.exit(1));
    });
  try {
    stack = await startConsoleStack(dataDir);
    browser = await launchChromium();
    const result = await measure(stack, browser, customers);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await stop();
  }
}

await main();
