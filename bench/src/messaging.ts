// npm run bench:messaging -- [--customers 200] [--agents 4] [--rate 200] [--duration 20] [--instances 1]
//   [--drain 300] [--cpu-prof <dir>]
//
// N customers × M agents through the real stack: Mosquitto, 1 or 2 compiled server processes sharing
// the uplink ($share), FerretDB. Customers send at a fixed total rate for a fixed time; the agents'
// clients record when each message arrives. Prints one JSON object. Everything runs on loopback and
// stops by itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { getFreePort, startFerretDb, startMosquitto, type ManagedProcess } from '@kefu/tools';
import {
  createAgentClient,
  createMemoryStorage,
  type AgentClient,
  type CustomerClient,
} from '@kefu/sdk-core';
import { hashPassword } from '@kefu/server';
import { benchCustomer, http, log, pool, transport } from './clients.js';
import { startBenchServer } from './server-process.js';
import { percentile, processUsage, round } from './stats.js';
import { dbOpsPerMessage, METRICS_TOKEN, scrapeDbOps } from './db-ops.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '200' },
    agents: { type: 'string', default: '4' },
    rate: { type: 'string', default: '200' },
    duration: { type: 'string', default: '20' },
    instances: { type: 'string', default: '1' },
    drain: { type: 'string', default: '300' },
    // A directory: the servers write V8 CPU profiles there when they stop (node --cpu-prof).
    'cpu-prof': { type: 'string' },
  },
});
const CUSTOMERS = Number(values.customers);
const AGENTS = Number(values.agents);
const RATE = Number(values.rate);
const DURATION_S = Number(values.duration);
const INSTANCES = Number(values.instances);
const DRAIN_S = Number(values.drain);
const CPU_PROF = values['cpu-prof'];

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kefu-bench-'));
  const db = await startFerretDb({ dataDir });
  const broker = await startMosquitto();
  const mongodbUri = `${db.uri}bench`;
  const servers: { proc: ManagedProcess; port: number }[] = [];
  const clients: (AgentClient | CustomerClient)[] = [];
  try {
    for (let i = 0; i < INSTANCES; i++) {
      const port = await getFreePort();
      const proc = await startBenchServer({
        name: `server ${String(i)}`,
        port,
        mongodbUri,
        command: [...(CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []), 'server/dist/main.js'],
        env: {
          MQTT_URL: broker.url,
          PUBLIC_MQTT_URL: broker.wsUrl,
          MQTT_SHARED_SUBSCRIPTION: 'true',
          DB_COMMAND_METRICS: 'true',
          METRICS_TOKEN,
        },
      });
      servers.push({ proc, port });
    }
    const base = (i: number): string => `http://127.0.0.1:${String(servers[i % servers.length]?.port)}`;

    // Agents with room for every conversation.
    const conn = await mongoose.createConnection(mongodbUri).asPromise();
    const database = conn.db;
    if (!database) throw new Error('no database handle');
    const agentsCol = database.collection('agents');
    const passwordHash = await hashPassword('bench-agent-pass');
    for (let i = 0; i < AGENTS; i++) {
      await agentsCol.insertOne({
        _id: `a_bench${String(i)}`,
        username: `bench${String(i)}`,
        display_name: `客服${String(i)}`,
        role: 'agent',
        password_hash: passwordHash,
        max_concurrent: CUSTOMERS,
        disabled: false,
        created_at: new Date(),
      } as never);
    }

    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const arrivals = new Map<string, number>();
    const agents: AgentClient[] = [];
    for (let i = 0; i < AGENTS; i++) {
      const agent = createAgentClient({
        baseUrl: base(i),
        transport,
        http,
        storage: createMemoryStorage(),
        username: `bench${String(i)}`,
        password: 'bench-agent-pass',
      });
      agent.on('message', (m) => {
        const id = m.clientMsgId ?? '';
        const t0 = sentAt.get(id);
        if (t0 === undefined) return;
        arrivals.set(id, (arrivals.get(id) ?? 0) + 1);
        if (arrivals.get(id) === 1) latencies.push(performance.now() - t0);
      });
      await agent.start();
      agents.push(agent);
      clients.push(agent);
    }
    while (agents.some((a) => a.status !== 'online')) await new Promise((r) => setTimeout(r, 50));
    log(
      `${String(INSTANCES)} server(s), ${String(AGENTS)} agents online; opening ${String(CUSTOMERS)} conversations`,
    );

    const customers: { client: CustomerClient; conversationId: string }[] = [];
    await pool(
      Array.from({ length: CUSTOMERS }, (_, i) => i),
      20,
      async (i) => {
        const client = benchCustomer(base(i), `bench${String(i)}`);
        await client.start();
        while (client.status !== 'online') await new Promise((r) => setTimeout(r, 20));
        const state = await client.open({ channel: 'bench' });
        customers.push({ client, conversationId: state.id ?? '' });
        clients.push(client);
      },
    );
    log(
      `${String(customers.length)} conversations open; sending ${String(RATE)} msg/s for ${String(DURATION_S)} s`,
    );

    const bases = servers.map((_, i) => base(i));
    const messages = database.collection('messages');
    const persistedBefore = await messages.countDocuments({ voided: { $ne: true } });
    const opsBefore = await scrapeDbOps(bases);
    const dbPid = db.process.child.pid ?? 0;
    const [usageBefore, dbBefore] = await Promise.all([
      Promise.all(servers.map((s) => processUsage(s.proc.child.pid ?? 0))),
      processUsage(dbPid),
    ]);
    const benchCpuBefore = process.cpuUsage();
    const started = performance.now();
    let sent = 0;
    let next = 0;
    const total = RATE * DURATION_S;
    const tickMs = 10;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * RATE));
        while (sent < due) {
          const c = customers[next++ % customers.length];
          if (!c) break;
          sent += 1;
          const at = performance.now();
          void c.client.sendText(c.conversationId, `bench ${String(sent)}`).then((id) => {
            sentAt.set(id, at);
          });
        }
        if (sent >= total) {
          clearInterval(timer);
          resolve();
        }
      }, tickMs);
    });
    const sendSeconds = (performance.now() - started) / 1000;
    const deadline = performance.now() + DRAIN_S * 1000;
    while (arrivals.size < sent && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const elapsed = (performance.now() - started) / 1000;
    const [usageAfter, dbAfter] = await Promise.all([
      Promise.all(servers.map((s) => processUsage(s.proc.child.pid ?? 0))),
      processUsage(dbPid),
    ]);
    const opsAfter = await scrapeDbOps(bases);
    const benchCpu = process.cpuUsage(benchCpuBefore);

    const pendingAtEnd = customers.reduce((n, c) => n + c.client.pending().length, 0);
    const persisted = await messages.countDocuments({ voided: { $ne: true } });
    await conn.close();
    const inWindow = persisted - persistedBefore;
    const cpuMs = (after?: { cpuS: number }, before?: { cpuS: number }) =>
      round((((after?.cpuS ?? 0) - (before?.cpuS ?? 0)) * 1000) / Math.max(1, inWindow), 2);
    latencies.sort((a, b) => a - b);
    const duplicated = [...arrivals.values()].filter((n) => n > 1).length;
    const result = {
      bench: 'messaging',
      config: {
        customers: CUSTOMERS,
        agents: AGENTS,
        rate_per_s: RATE,
        duration_s: DURATION_S,
        instances: INSTANCES,
        broker: 'mosquitto',
        database: 'ferretdb-1.24.2-sqlite',
      },
      sent,
      persisted,
      delivered: arrivals.size,
      // Not delivered by the end of the drain: still in a customer's outbox (pending) or gone (lost).
      pending_at_end: pendingAtEnd,
      lost: sent - arrivals.size - pendingAtEnd,
      duplicated,
      latency_ms: {
        p50: round(percentile(latencies, 50)),
        p95: round(percentile(latencies, 95)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies[latencies.length - 1] ?? Number.NaN),
      },
      send_seconds: round(sendSeconds),
      elapsed_seconds: round(elapsed),
      // Messages stored in the measured window per second of it (send time plus the drain).
      persisted_per_s: round(inWindow / elapsed),
      servers: servers.map((_, i) => ({
        cpu_percent: round((((usageAfter[i]?.cpuS ?? 0) - (usageBefore[i]?.cpuS ?? 0)) / elapsed) * 100),
        rss_mb: round(usageAfter[i]?.rssMb ?? 0),
      })),
      // Per message persisted in the measured window (the greeting and the opens came before it).
      per_message: {
        server_cpu_ms: round(
          servers.reduce((sum, _, i) => sum + cpuMs(usageAfter[i], usageBefore[i]), 0),
          2,
        ),
        database_cpu_ms: cpuMs(dbAfter, dbBefore),
        database_ops: dbOpsPerMessage(opsBefore, opsAfter, inWindow),
      },
      database: {
        cpu_percent: round(((dbAfter.cpuS - dbBefore.cpuS) / elapsed) * 100),
        rss_mb: round(dbAfter.rssMb),
      },
      // The load generator itself (every customer and agent client in this one process): near 100 % it,
      // not the server, is what limits the run.
      bench_client_cpu_percent: round(((benchCpu.user + benchCpu.system) / 1e6 / elapsed) * 100),
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await Promise.all(clients.map((c) => c.stop().catch(() => undefined)));
    await Promise.all(servers.map((s) => s.proc.stop()));
    await broker.stop();
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
