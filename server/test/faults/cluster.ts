// Real processes for fault tests: Mosquitto (restartable on fixed ports), N server processes (killable),
// one FerretDB database, and sdk-core clients.
import { appendFileSync } from 'node:fs';
import { getFreePort, startMosquitto, type ManagedProcess, type MosquittoInstance } from '@kefu/tools';
import { testMongoUri, waitFor } from '@kefu/tools/testing';
import { afterAll } from 'vitest';
import mongoose from 'mongoose';
import { createMemoryStorage, type AgentClient, type CustomerClient } from '@kefu/sdk-core';
import type { kefu } from '@kefu/proto';
import { agentModel } from '../../src/model/agent.js';
import { messageModel } from '../../src/model/message.js';
import { serverMain, spawnServer } from '../helpers.js';
import { agent, customer, online } from '../messaging/harness.js';

export const ADMIN_PASSWORD = 'admin-pass-123';
export const JWT_SECRET = 'fault-test-jwt-secret-0123456789abcdef';

export interface Cluster {
  mongodbUri: string;
  db: mongoose.Connection;
  broker: MosquittoInstance;
  servers: { port: number; proc: ManagedProcess | undefined }[];
  url(i?: number): string;
  startServer(i: number): Promise<void>;
  killServer(i: number): void;
  restartBroker(): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(label: string, instances = 1): Promise<Cluster> {
  const mongodbUri = testMongoUri(label);
  const tcpPort = await getFreePort();
  const wsPort = await getFreePort();
  let broker = await startMosquitto({ tcpPort, wsPort });
  const db = await mongoose.createConnection(mongodbUri).asPromise();
  const servers: Cluster['servers'] = [];
  for (let i = 0; i < instances; i++) servers.push({ port: await getFreePort(), proc: undefined });

  const cluster: Cluster = {
    mongodbUri,
    db,
    get broker() {
      return broker;
    },
    servers,
    url: (i = 0) => `http://127.0.0.1:${String(servers[i]!.port)}`,
    async startServer(i) {
      const { proc } = await spawnServer(serverMain, {
        PORT: String(servers[i]!.port),
        MONGODB_URI: mongodbUri,
        MQTT_URL: broker.url,
        PUBLIC_MQTT_URL: broker.wsUrl,
        MQTT_SHARED_SUBSCRIPTION: 'true',
        JWT_SECRET,
        ADMIN_PASSWORD,
        LOG_LEVEL: process.env['KEFU_FAULT_LOG_LEVEL'] ?? 'error',
      });
      servers[i]!.proc = proc;
      // KEFU_FAULT_LOG_DIR keeps each server's output (at KEFU_FAULT_LOG_LEVEL) for a post-mortem.
      const logDir = process.env['KEFU_FAULT_LOG_DIR'];
      if (logDir) {
        const file = `${logDir}/server-${String(i)}.log`;
        appendFileSync(file, `---- start ${new Date().toISOString()}\n${proc.output()}`);
        const tee = (d: Buffer): void => {
          appendFileSync(file, d);
        };
        proc.child.stdout?.on('data', tee);
        proc.child.stderr?.on('data', tee);
      }
    },
    killServer(i) {
      servers[i]!.proc?.child.kill('SIGKILL');
      servers[i]!.proc = undefined;
    },
    async restartBroker() {
      await broker.stop();
      broker = await startMosquitto({ tcpPort, wsPort });
    },
    async stop() {
      await Promise.all(
        servers.map(async (s) => {
          await s.proc?.stop();
        }),
      );
      await broker.stop();
      await db.dropDatabase().catch(() => undefined);
      await db.close();
    },
  };
  for (let i = 0; i < instances; i++) await cluster.startServer(i);
  // One agent takes every conversation in these tests.
  await waitFor('admin seeded', () => agentModel(db).findOne({ username: 'admin' }).lean());
  await agentModel(db).updateOne({ username: 'admin' }, { $set: { max_concurrent: 1000 } });
  return cluster;
}

export interface Traffic {
  admin: AgentClient;
  customers: CustomerClient[];
  conversations: string[];
  /** The customers' messages the agent received, per conversation, in arrival order. */
  received: Map<string, kefu.v1.IMessage[]>;
}

/** Signs in the agent, then `count` customers who each open a conversation with it. */
export async function openConversations(
  cluster: Cluster,
  count: number,
  server = (i: number) => i % cluster.servers.length,
): Promise<Traffic> {
  const admin = agent(cluster.url(0), 'admin', ADMIN_PASSWORD);
  const received = new Map<string, kefu.v1.IMessage[]>();
  admin.on('message', (m) => {
    // The customers' traffic only: every chat also starts with the server's greeting.
    if (!m.content?.text) return;
    const list = received.get(m.conversationId ?? '') ?? [];
    list.push(m);
    received.set(m.conversationId ?? '', list);
  });
  await admin.start();
  await online(admin);
  const customers: CustomerClient[] = [];
  const conversations: string[] = [];
  for (let i = 0; i < count; i++) {
    const c = customer(cluster.url(server(i)), `load${String(i)}`, createMemoryStorage(), {
      resendAfterMs: 1_500,
    });
    await c.start();
    await online(c);
    conversations.push((await c.open()).id!);
    customers.push(c);
  }
  return { admin, customers, conversations, received };
}

/** Every customer sends `perCustomer` numbered texts, one every `gapMs`. */
export async function sendAll(
  t: Traffic,
  perCustomer: number,
  gapMs: number,
  onProgress?: (sent: number) => void,
): Promise<void> {
  let sent = 0;
  await Promise.all(
    t.customers.map(async (c, i) => {
      for (let k = 1; k <= perCustomer; k++) {
        await c.sendText(t.conversations[i]!, `c${String(i)}-m${String(k)}`);
        sent += 1;
        onProgress?.(sent);
        await new Promise((r) => setTimeout(r, gapMs));
      }
    }),
  );
}

/** Waits until every outbox is empty and the agent holds `total` messages. */
export async function settle(t: Traffic, total: number, timeoutMs = 90_000): Promise<void> {
  const progress = setInterval(() => {
    if (!process.env['KEFU_FAULT_DEBUG']) return;
    const pending = t.customers.reduce((n, c) => n + c.pending().length, 0);
    const got = [...t.received.values()].reduce((n, l) => n + l.length, 0);
    const statuses = [t.admin, ...t.customers].map((c) => c.status[0]).join('');
    process.stderr.write(`settle: pending=${String(pending)} agent=${String(got)} status=${statuses}\n`);
  }, 2_000);
  await waitFor(
    `all outboxes empty and ${String(total)} messages at the agent`,
    () =>
      t.customers.every((c) => c.pending().length === 0) &&
      [...t.received.values()].reduce((n, l) => n + l.length, 0) >= total,
    { timeoutMs, intervalMs: 100 },
  ).finally(() => {
    clearInterval(progress);
  });
}

/**
 * The invariants of the delivery contract, checked in the database and at the agent: every text stored
 * once; seqs contiguous from 1 (a voided duplicate keeps its seq but is no message); the agent got every
 * message once, in seq order.
 */
export async function checkInvariants(cluster: Cluster, t: Traffic, perCustomer: number): Promise<void> {
  const { expect } = await import('vitest');
  // Late resends may still be in flight at the servers: wait until the store stops changing.
  let previous = '';
  await waitFor(
    'the message store to settle',
    async () => {
      const now = JSON.stringify([
        await messageModel(cluster.db).countDocuments(),
        await messageModel(cluster.db).countDocuments({ voided: true }),
      ]);
      const quiet = now === previous;
      previous = now;
      return quiet;
    },
    { timeoutMs: 30_000, intervalMs: 1_000 },
  );
  const docs = await messageModel(cluster.db)
    .find({}, { conversation_id: 1, seq: 1, text: 1, voided: 1, client_msg_id: 1, sender_uid: 1 })
    .lean();
  // The customers' messages (every chat also starts with the server's greeting, a system notice).
  const live = docs.filter((d) => !d.voided && d.sender_uid !== 'system' && d.sender_uid !== 'bot');
  if (process.env['KEFU_FAULT_DEBUG']) {
    const counts = new Map<string, number>();
    for (const d of live) counts.set(d.text ?? '(none)', (counts.get(d.text ?? '(none)') ?? 0) + 1);
    const dups = [...counts].filter(([, n]) => n > 1);
    process.stderr.write(
      `invariants: ${String(docs.length)} docs, ${String(live.length)} live, dup texts ${JSON.stringify(dups)}\n`,
    );
  }
  const texts = live.map((d) => d.text);
  expect(new Set(texts).size).toBe(texts.length);
  for (const [i, id] of t.conversations.entries()) {
    const all = docs
      .filter((d) => d.conversation_id === id)
      .map((d) => d.seq)
      .sort((a, b) => a - b);
    expect(all, `conversation ${String(i)} seqs`).toEqual(
      Array.from({ length: all.length }, (_, k) => k + 1),
    );
    const liveSeqs = live
      .filter((d) => d.conversation_id === id)
      .map((d) => d.seq)
      .sort((a, b) => a - b);
    expect(liveSeqs).toHaveLength(perCustomer);
    // The agent got every message once (a copy voided in a resend race counts as that message) and in
    // seq order.
    const atAgent = t.received.get(id) ?? [];
    const agentTexts = atAgent.map((m) => m.content?.text?.text);
    expect(new Set(agentTexts).size, `conversation ${String(i)} at the agent`).toBe(perCustomer);
    expect(agentTexts.sort()).toEqual(
      live
        .filter((d) => d.conversation_id === id)
        .map((d) => d.text)
        .sort(),
    );
    const seqs = atAgent.map((m) => Number(m.seq));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  }
}

export async function stopTraffic(t: Traffic): Promise<void> {
  await Promise.all([t.admin, ...t.customers].map((c) => c.stop()));
}

/**
 * Registers cleanup for a fault test and returns a holder for what the test starts: clients first,
 * then the cluster.
 */
export function faultScope(): { cluster?: Cluster; traffic?: Traffic; extra: { stop(): Promise<void> }[] } {
  const scope: { cluster?: Cluster; traffic?: Traffic; extra: { stop(): Promise<void> }[] } = { extra: [] };
  afterAll(async () => {
    await Promise.all(scope.extra.map((c) => c.stop()));
    if (scope.traffic) await stopTraffic(scope.traffic);
    await scope.cluster?.stop();
  });
  return scope;
}

/**
 * 20 customers send 50 messages each (one every 40 ms); after 300 have been sent, `disrupt` runs; then
 * everything must settle and the delivery invariants hold.
 */
export async function runDisruption(
  scope: ReturnType<typeof faultScope>,
  label: string,
  disrupt: (cluster: Cluster) => Promise<void>,
): Promise<void> {
  const cluster = (scope.cluster = await startCluster(label));
  const traffic = (scope.traffic = await openConversations(cluster, 20));
  let disrupted: Promise<void> | undefined;
  await sendAll(traffic, 50, 40, (sent) => {
    if (sent === 300) disrupted ??= disrupt(cluster);
  });
  await disrupted;
  await settle(traffic, 1_000);
  await checkInvariants(cluster, traffic, 50);
}
