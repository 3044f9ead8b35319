// npm run bench:routing -- [--arrivals 1000] [--agents 20] [--limit 60] [--rate 100] [--instances 2] [--warmup 100]
//
// The routing engine against FerretDB: `--instances` conversation services (each what one server runs,
// sharing only the database), `--agents` online agents with reception limit `--limit`, and `--arrivals`
// customers opening a conversation at `--rate` per second, spread over the instances. Measures each
// arrival's open → assigned (the conversation stored, the agent chosen in the allocation mode, the seat
// and the assignment claimed, the assignment written) and prints one JSON object with p50/p99 and the
// chats per agent. `--warmup` arrivals go first, at the same rate, and are not measured: a running server
// has its database connections open and its code compiled; a fresh process opens them on the first
// arrivals. Runs on loopback, stops by itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import mongoose from 'mongoose';
import { createCore, createLogger, loadConfig } from '@kefu/server';
import { startFerretDb } from '@kefu/tools';
import { log } from './clients.js';
import { percentile, round } from './stats.js';

const { values } = parseArgs({
  options: {
    arrivals: { type: 'string', default: '1000' },
    agents: { type: 'string', default: '20' },
    limit: { type: 'string', default: '60' },
    rate: { type: 'string', default: '100' },
    instances: { type: 'string', default: '2' },
    mode: { type: 'string', default: 'saturation' },
    warmup: { type: 'string', default: '100' },
  },
});
const ARRIVALS = Number(values.arrivals);
const AGENTS = Number(values.agents);
const LIMIT = Number(values.limit);
const RATE = Number(values.rate);
const INSTANCES = Number(values.instances);
const MODE = values.mode as 'saturation' | 'round_robin' | 'longest_idle';
const WARMUP = Number(values.warmup);

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kefu-bench-routing-'));
  const db = await startFerretDb({ dataDir });
  const conn = await mongoose.createConnection(`${db.uri}benchrouting`).asPromise();
  try {
    const logger = createLogger('error');
    const { recallWindowS } = loadConfig({ NODE_ENV: 'test' });
    const quiet = { toUser: () => Promise.resolve() };
    const instances = Array.from({ length: INSTANCES }, () =>
      createCore(conn, logger, quiet, { recallWindowS }),
    );
    await conn.syncIndexes();
    const database = conn.db;
    if (!database) throw new Error('no database handle');
    const now = Date.now();
    await database.collection('agents').insertMany(
      Array.from({ length: AGENTS }, (_, i) => ({
        _id: `a_bench${String(i)}`,
        username: `bench${String(i)}`,
        display_name: `客服${String(i)}`,
        role: 'agent',
        password_hash: '',
        group_ids: [],
        max_concurrent: LIMIT,
        disabled: false,
        created_at: new Date(now - (AGENTS - i) * 1000),
      })) as never[],
    );
    await database.collection('presence').insertMany(
      Array.from({ length: AGENTS }, (_, i) => ({
        _id: `a_bench${String(i)}:d1`,
        uid: `a_bench${String(i)}`,
        role: 'a',
        online: true,
        agent_status: 'online',
        updated_at: new Date(),
      })) as never[],
    );
    // Every routing setting stated, not left to the defaults: a new default (a reception mode, a rule, a
    // timeout) must not change what this bench measures.
    const off = { remindAfterS: 0, actAfterS: 0 };
    await instances[0]?.allocator.saveConfig({
      mode: MODE,
      queueFirstTags: [],
      receptionMode: 'human_only',
      receptionOverride: false,
      defaultGroupId: '',
      returnToLastAgentMinutes: 0,
      maxQueueLength: 0,
      rules: [],
      queueTimeout: off,
      agentTimeout: off,
      customerTimeout: off,
    });

    log(
      `${String(WARMUP)} warm-up + ${String(ARRIVALS)} arrivals at ${String(RATE)}/s over ${String(INSTANCES)} instances`,
    );
    const latencies: number[] = [];
    const agentOf = new Map<string, number>();
    let queued = 0;
    const started = performance.now();
    let measuredFrom = started;
    await Promise.all(
      Array.from({ length: WARMUP + ARRIVALS }, async (_, i) => {
        // Paced arrivals: the i-th at i / RATE seconds; the first WARMUP are not measured.
        const due = started + (i * 1000) / RATE;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        const service = instances[i % INSTANCES]?.service;
        if (!service) return;
        const measured = i >= WARMUP;
        const t0 = performance.now();
        if (i === WARMUP) measuredFrom = t0;
        const c = await service.open(
          { role: 'c', uid: `u_bench${String(i)}` },
          { channel: 'bench' },
          `r${String(i)}`,
        );
        if (c.agentUid) agentOf.set(c.agentUid, (agentOf.get(c.agentUid) ?? 0) + 1);
        if (!measured) return;
        latencies.push(performance.now() - t0);
        if (!c.agentUid) queued += 1;
      }),
    );
    const elapsedS = (performance.now() - measuredFrom) / 1000;
    const sorted = [...latencies].sort((a, b) => a - b);
    const perAgent = [...agentOf.values()];
    const result = {
      bench: 'routing',
      arrivals: ARRIVALS,
      warmup_arrivals: WARMUP,
      instances: INSTANCES,
      agents: AGENTS,
      limit: LIMIT,
      mode: MODE,
      rate_per_s: RATE,
      elapsed_s: round(elapsedS),
      assigned: ARRIVALS - queued,
      queued,
      open_to_assigned_ms: {
        p50: round(percentile(sorted, 50)),
        p90: round(percentile(sorted, 90)),
        p99: round(percentile(sorted, 99)),
        max: round(sorted.at(-1) ?? Number.NaN),
        target_p99_ms: 20,
      },
      // Every chat, the warm-up's too: saturation balances an agent's whole load.
      chats_per_agent: { min: Math.min(...perAgent), max: Math.max(...perAgent) },
    };
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    await conn.close();
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
