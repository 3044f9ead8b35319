// npm run bench:console -- [--conversations 500] [--messages 10000] [--runs 5]
//
// The agent console in a real Chromium against the compiled server (embedded broker) and FerretDB:
// one agent with N open conversations (opened by real customer clients), one of them holding M messages
// (bulk-inserted, as years of history would be). Measures, inside the page:
//   - open: click on the big conversation → its newest message is on screen (fresh page each run);
//   - history scroll: frame times while scrolling up through paged history, and how many message rows
//     the DOM holds (virtualised: stays small);
//   - list: first paint of the 500-conversation list after sign-in, frame times while scrolling it, and
//     click → chat pane latency.
// Prints one JSON object. Everything runs on loopback and stops by itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { kefu } from '@kefu/proto';
import type { CustomerClient } from '@kefu/sdk-core';
import {
  getFreePort,
  launchChromium,
  spawnUntilReady,
  startFerretDb,
  type ManagedProcess,
} from '@kefu/tools';
import { hashPassword } from '@kefu/server';
import { benchCustomer, IDENTITY_SECRET, JWT_SECRET, log, pool } from './clients.js';
import { percentile, round } from './stats.js';

const { values } = parseArgs({
  options: {
    conversations: { type: 'string', default: '500' },
    messages: { type: 'string', default: '10000' },
    runs: { type: 'string', default: '6' },
    settle: { type: 'string', default: '5000' },
  },
});
const CONVERSATIONS = Number(values.conversations);
const MESSAGES = Number(values.messages);
const RUNS = Number(values.runs);
const SETTLE_MS = Number(values.settle);
const AGENT = { username: 'bench-agent', password: 'bench-agent-pass', uid: 'a_benchconsole' };

/** Frame times (ms) while `step` scrolls the element once per animation frame for `ms`. */
async function scrollFrames(page: Page, selector: string, direction: 1 | -1, ms: number): Promise<number[]> {
  return page.evaluate(
    ({ selector, direction, ms }) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector(selector);
        const frames: number[] = [];
        if (!el) {
          resolve(frames);
          return;
        }
        const start = performance.now();
        let last = start;
        const tick = (now: number): void => {
          frames.push(now - last);
          last = now;
          el.scrollTop += direction * 120;
          if (now - start < ms) requestAnimationFrame(tick);
          else resolve(frames.slice(1));
        };
        requestAnimationFrame(tick);
      }),
    { selector, direction, ms },
  );
}

const asc = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
const p50 = (xs: readonly number[]): number => round(percentile(asc(xs), 50));

function frameStats(unsorted: number[]): Record<string, number> {
  const frames = asc(unsorted);
  return {
    frames: frames.length,
    p50_ms: round(percentile(frames, 50)),
    p95_ms: round(percentile(frames, 95)),
    max_ms: round(Math.max(...frames)),
    over_50ms: frames.filter((f) => f > 50).length,
  };
}

async function signIn(page: Page, base: string): Promise<number> {
  await page.goto(`${base}/console/`);
  await page.fill('input[name=username]', AGENT.username);
  await page.fill('input[name=password]', AGENT.password);
  const t0 = Date.now();
  await page.click('button[type=submit]');
  await page.waitForSelector('.conv', { timeout: 60_000 });
  return Date.now() - t0;
}

/** Click → the newest message's row is in the DOM, measured in the page. */
async function openConversation(page: Page, id: string, newestSeq: number): Promise<number> {
  return page.evaluate(
    ({ id, newestSeq }) =>
      new Promise<number>((resolve, reject) => {
        const row = document.querySelector<HTMLElement>(`[data-conversation="${id}"]`);
        if (!row) {
          reject(new Error('conversation row not rendered'));
          return;
        }
        const t0 = performance.now();
        const check = (): void => {
          if (document.querySelector(`.msg[data-seq="${String(newestSeq)}"]`))
            resolve(performance.now() - t0);
          else if (performance.now() - t0 > 30_000) reject(new Error('newest message not shown after 30 s'));
          else requestAnimationFrame(check);
        };
        row.click();
        requestAnimationFrame(check);
      }),
    { id, newestSeq },
  );
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kefu-bench-console-'));
  const db = await startFerretDb({ dataDir });
  const mongodbUri = `${db.uri}benchconsole`;
  let server: ManagedProcess | undefined;
  const customers: CustomerClient[] = [];
  const browser = await launchChromium();
  try {
    const port = await getFreePort();
    const base = `http://127.0.0.1:${String(port)}`;
    ({ proc: server } = await spawnUntilReady(process.execPath, ['server/dist/main.js'], {
      name: 'server',
      readyWhen: /HTTP\s+http:\/\/\S+/,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        MONGODB_URI: mongodbUri,
        DATA_DIR: join(dataDir, 'server'),
        JWT_SECRET,
        IDENTITY_SECRET,
        ADMIN_PASSWORD: 'bench-admin-pass',
        LOG_LEVEL: 'error',
        SESSION_REQUESTS_PER_IP_PER_MINUTE: '100000',
      },
      timeoutMs: 60_000,
    }));
    const conn = await mongoose.createConnection(mongodbUri).asPromise();
    const database = conn.db;
    if (!database) throw new Error('no database handle');
    await database.collection('agents').insertOne({
      _id: AGENT.uid,
      username: AGENT.username,
      display_name: '压测客服',
      role: 'agent',
      password_hash: await hashPassword(AGENT.password),
      max_concurrent: CONVERSATIONS + 10,
      disabled: false,
      created_at: new Date(),
    } as never);

    // The agent must be online for assignment: its console page is that agent.
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${base}/console/`);
    await page.fill('input[name=username]', AGENT.username);
    await page.fill('input[name=password]', AGENT.password);
    await page.click('button[type=submit]');
    await page.waitForSelector('.workbench');
    await new Promise((r) => setTimeout(r, 1_000));

    log(`opening ${String(CONVERSATIONS)} conversations through real customer clients`);
    const ids: string[] = [];
    const clientOf = new Map<string, CustomerClient>();
    await pool(
      Array.from({ length: CONVERSATIONS }, (_, i) => i),
      20,
      async (i) => {
        const client = benchCustomer(base, `c${String(i)}`, `客户${String(i)}`);
        customers.push(client);
        await client.start();
        while (client.status !== 'online') await new Promise((r) => setTimeout(r, 20));
        const state = await client.open({ channel: 'bench' });
        const id = state.id ?? '';
        ids.push(id);
        clientOf.set(id, client);
        await client.sendText(id, `你好，我是客户${String(i)}`);
      },
    );
    const big = ids[0] ?? '';
    log(`bulk-inserting ${String(MESSAGES)} messages into ${big}`);
    const now = Date.now() - MESSAGES * 1000;
    const messages = database.collection('messages');
    await messages.deleteMany({ conversation_id: big });
    for (let start = 1; start <= MESSAGES; start += 1000) {
      const docs = [];
      for (let seq = start; seq < Math.min(start + 1000, MESSAGES + 1); seq++) {
        const fromCustomer = seq % 2 === 1;
        const text = `${fromCustomer ? '客户' : '客服'}第 ${String(seq)} 条消息：${'积分兑换的商品什么时候发货？'.repeat(1 + (seq % 4))}`;
        docs.push({
          _id: `${big}:${String(seq).padStart(10, '0')}`,
          conversation_id: big,
          seq,
          client_msg_id: `bench-${String(seq)}`,
          sender_uid: fromCustomer ? 'u_c0' : AGENT.uid,
          sender_role: fromCustomer ? 'c' : 'a',
          sender_name: fromCustomer ? '客户0' : '压测客服',
          content: Buffer.from(kefu.v1.Content.encode({ text: { text } }).finish()),
          content_kind: 'text',
          text,
          internal_note: false,
          created_at: new Date(now + seq * 1000),
        });
      }
      await messages.insertMany(docs as never[]);
    }
    await database.collection('conversations').updateOne({ _id: big } as never, {
      $set: {
        last_message: { seq: MESSAGES, preview: '最新消息', sender_role: 'agent', at: new Date() },
        last_activity_at: new Date(),
      },
    });

    log('measuring');
    const opens: number[] = [];
    const fetches: number[] = [];
    const signIns: number[] = [];
    const listFrames: number[] = [];
    const historyFrames: number[] = [];
    const clicks: number[] = [];
    let domRows = 0;
    let historyLoaded = 0;
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
      // Of which: the history request (server + FerretDB), from the page's resource timings.
      fetches.push(
        await p.evaluate(() => {
          const entries = performance
            .getEntriesByType('resource')
            .filter((e) => e.name.includes('/messages?'));
          return entries.at(-1)?.duration ?? -1;
        }),
      );
      if (run === 0) {
        listFrames.push(...(await scrollFrames(p, '.conv-scroll', 1, 3_000)));
        historyFrames.push(...(await scrollFrames(p, '.thread', -1, 6_000)));
        domRows = await p.evaluate(() => document.querySelectorAll('.msg').length);
        historyLoaded = await p.evaluate(() => {
          const seqs = [...document.querySelectorAll<HTMLElement>('.msg')].map((e) =>
            Number(e.dataset['seq']),
          );
          return Math.min(...seqs);
        });
        // Rows of the virtualised list that are on screen, one after the other: click → its thread shows.
        for (let k = 0; k < 10; k++) {
          clicks.push(
            await p
              .evaluate(
                (nth) =>
                  new Promise<number>((resolve, reject) => {
                    const rows = [...document.querySelectorAll<HTMLElement>('.conv:not(.selected)')];
                    const row = rows[nth % Math.max(1, rows.length)];
                    const id = row?.dataset['conversation'];
                    if (!row || !id) {
                      reject(new Error('no conversation row on screen'));
                      return;
                    }
                    const t0 = performance.now();
                    row.click();
                    const check = (): void => {
                      const selected = document.querySelector(`.conv.selected[data-conversation="${id}"]`);
                      if (selected && document.querySelector('.thread .msg')) resolve(performance.now() - t0);
                      else if (performance.now() - t0 > 10_000)
                        reject(new Error('thread not shown after 10 s'));
                      else requestAnimationFrame(check);
                    };
                    requestAnimationFrame(check);
                  }),
                k,
              )
              .catch(() => -1),
          );
        }
      }
      await p.close();
    }
    const result = {
      bench: 'console',
      conversations: CONVERSATIONS,
      messages_in_big_conversation: MESSAGES,
      runs: RUNS,
      settle_ms_before_open: SETTLE_MS,
      // The first open finds no tail for the bulk-imported history: it reads the newest messages by
      // `_id` and builds the conversation's tail; later opens (after live messages) read the tail.
      first_open_after_bulk_import_ms: {
        open: round(opens[0] ?? -1),
        history_request: round(fetches[0] ?? -1),
      },
      open_big_conversation_ms: {
        p50: p50(opens.slice(1)),
        max: round(Math.max(...opens.slice(1))),
        all: opens.slice(1).map(round),
        target_ms: 300,
      },
      of_which_history_request_ms: { p50: p50(fetches.slice(1)), max: round(Math.max(...fetches.slice(1))) },
      sign_in_to_list_ms: { p50: p50(signIns), max: round(Math.max(...signIns)) },
      history_scroll: {
        ...frameStats(historyFrames),
        message_rows_in_dom: domRows,
        oldest_seq_reached: historyLoaded,
      },
      list_scroll: frameStats(listFrames),
      list_click_to_chat_ms: {
        p50: round(
          percentile(
            clicks.filter((c) => c >= 0),
            50,
          ),
        ),
        max: round(Math.max(...clicks)),
      },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    await page.close();
    await conn.close();
  } finally {
    await Promise.all(customers.map((c) => c.stop().catch(() => undefined)));
    await browser.close();
    await server?.stop();
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
