// npm run bench:connections -- [--customers 10000] [--broker aedes|mosquitto] [--idle 60]
//
// How many customer connections one broker and one server instance hold. N customers connect as the
// web widget does (a session from the session API with a mall-signed identity, then MQTT over WebSocket
// with the access token) to one compiled server on the embedded Aedes broker or on Mosquitto, over
// FerretDB; each opens its conversation; all stay idle on keepalive for a while; then each gets one
// message from its agent. Prints one JSON object: connect rate and failures, RSS per connection of the
// broker and the server, fan-out times, messages lost, and the limits met. Stops by itself.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { log } from './clients.js';
import { connectAll, createCustomer, openAll, stopAll, type Customer } from './connections-customers.js';
import { fanOut, startAgents, type Agents } from './connections-fanout.js';
import { connectFigures, fanoutFigures, PeakSampler, perConnectionKb } from './connections-report.js';
import {
  SESSION_REQUESTS_PER_IP_PER_MINUTE,
  seedAgents,
  startStack,
  type BrokerKind,
  type Stack,
} from './connections-stack.js';
import { round } from './stats.js';

const { values } = parseArgs({
  options: {
    customers: { type: 'string', default: '10000' },
    broker: { type: 'string', default: 'aedes' },
    // Customers connecting at the same time.
    concurrency: { type: 'string', default: '100' },
    'connect-timeout': { type: 'string', default: '60' },
    'open-concurrency': { type: 'string', default: '50' },
    idle: { type: 'string', default: '60' },
    // Default: one agent per 100 customers, each sending 5 a second: a quarter of the server's uplink
    // rate limit per sender (20/s, burst 60), so a stalled event loop's burst of arrivals stays under it.
    agents: { type: 'string' },
    'agent-rate': { type: 'string', default: '5' },
    drain: { type: 'string', default: '600' },
  },
});
const CUSTOMERS = Number(values.customers);
if (values.broker !== 'aedes' && values.broker !== 'mosquitto')
  throw new Error('--broker is aedes or mosquitto');
const BROKER: BrokerKind = values.broker;
const CONCURRENCY = Number(values.concurrency);
const CONNECT_TIMEOUT_S = Number(values['connect-timeout']);
const OPEN_CONCURRENCY = Number(values['open-concurrency']);
const IDLE_S = Number(values.idle);
const AGENTS = values.agents === undefined ? Math.max(1, Math.ceil(CUSTOMERS / 100)) : Number(values.agents);
const AGENT_RATE = Number(values['agent-rate']);
const DRAIN_S = Number(values.drain);
// sdk-core's default MQTT keepalive (a PINGREQ every 30 s of silence).
const KEEPALIVE_S = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(stack: Stack, customers: Customer[], agentsOut: { agents?: Agents }): Promise<object> {
  const accounts = await seedAgents(stack.mongodbUri, AGENTS, CUSTOMERS + 10);
  const agents = await startAgents(stack.base, accounts);
  agentsOut.agents = agents;
  const pids: Record<string, number> = { server: stack.server.child.pid ?? 0, bench: process.pid };
  if (stack.broker) pids['broker'] = stack.broker.child.pid ?? 0;
  const sampler = new PeakSampler(pids);
  const fanoutIds = new Set<string>();
  const isFanout = (id: string) => fanoutIds.has(id);
  for (let i = 0; i < CUSTOMERS; i++) customers.push(createCustomer(stack.base, i, isFanout));
  await sleep(1_000);
  const before = await sampler.sample();

  log(`${BROKER}: connecting ${String(CUSTOMERS)} customers, ${String(CONCURRENCY)} at a time`);
  const connectStart = performance.now();
  await connectAll(customers, CONCURRENCY, CONNECT_TIMEOUT_S * 1000);
  const connect = connectFigures(customers, (performance.now() - connectStart) / 1000);
  const connected = await sampler.sample();
  log(`${String(connect.connected)} online in ${String(connect.seconds)} s; opening conversations`);

  const openStart = performance.now();
  const openResult = await openAll(customers, OPEN_CONCURRENCY);
  const openSeconds = (performance.now() - openStart) / 1000;
  const opened = customers.filter((c) => c.conversationId !== undefined).length;
  const assigned = customers.filter((c) => c.agentUid !== undefined).length;
  log(`${String(opened)} conversations open in ${round(openSeconds)} s; idle for ${String(IDLE_S)} s`);

  const dropsBeforeIdle = customers.reduce((n, c) => n + c.drops, 0);
  await sleep(IDLE_S * 1000);
  const idle = await sampler.sample();
  const dropsInIdle = customers.reduce((n, c) => n + c.drops, 0) - dropsBeforeIdle;
  const onlineAfterIdle = customers.filter((c) => c.client.status === 'online').length;
  log(
    `${String(onlineAfterIdle)} still online after the idle time; fan-out at ${String(AGENT_RATE)}/s per agent`,
  );

  const fan = await fanOut(agents, customers, AGENT_RATE, DRAIN_S * 1000, fanoutIds);
  const fanout = fanoutFigures(customers, fan.startedAt);
  const after = await sampler.sample();
  const peaks = sampler.stop();

  const n = connect.connected;
  const sessionLimited = connect.failure_reasons['http 429 rate_limited'] ?? 0;
  const limits: string[] = [];
  for (const [name, p] of Object.entries(peaks)) {
    if (p.exited) limits.push(`${name} exited during the run`);
    else if (p.peak_open_fds > 0.9 * p.fd_limit)
      limits.push(`${name}: ${String(p.peak_open_fds)} of ${String(p.fd_limit)} file descriptors`);
  }
  if (sessionLimited > 0) limits.push(`session API per-IP rate limit: ${String(sessionLimited)} refused`);
  const rateLimited = agents.errors.get('rate_limited') ?? 0;
  if (rateLimited > 0) limits.push(`agent uplink rate limit: ${String(rateLimited)} messages refused`);
  if (connect.failures > 0) limits.push(`${String(connect.failures)} customers never came online`);
  const lost = fan.sent - fanout.delivered;
  if (lost > 0) limits.push(`${String(lost)} fan-out messages not delivered within ${String(DRAIN_S)} s`);
  if (dropsInIdle > 0) limits.push(`${String(dropsInIdle)} connections dropped while idle`);

  const usage = (name: string) => ({
    rss_before_mb: round(before[name]?.rssMb ?? 0),
    rss_connected_mb: round(connected[name]?.rssMb ?? 0),
    rss_after_idle_mb: round(idle[name]?.rssMb ?? 0),
    rss_end_mb: round(after[name]?.rssMb ?? 0),
    // RSS growth from before the first customer to all of them online, per connection.
    rss_per_connection_kb: perConnectionKb(before[name], connected[name], n),
    cpu_s: round((after[name]?.cpuS ?? 0) - (before[name]?.cpuS ?? 0)),
    ...peaks[name],
  });
  return {
    bench: 'connections',
    config: {
      customers: CUSTOMERS,
      broker: BROKER,
      database: 'ferretdb-1.24.2-sqlite',
      transport: 'mqtt-3.1.1 over websocket (mqtt.js), sdk-core customer client',
      connect_concurrency: CONCURRENCY,
      keepalive_s: KEEPALIVE_S,
      idle_s: IDLE_S,
      agents: AGENTS,
      agent_rate_per_s: AGENT_RATE,
      // Raised for the bench's own server from the default of 60 (all customers come from 127.0.0.1).
      session_requests_per_ip_per_minute: SESSION_REQUESTS_PER_IP_PER_MINUTE,
    },
    connect,
    open: {
      seconds: round(openSeconds),
      opened,
      assigned,
      failures: openResult.failures,
      retries: openResult.retries,
      per_s: round(opened / openSeconds),
    },
    idle: { seconds: IDLE_S, dropped: dropsInIdle, online_after: onlineAfterIdle },
    fanout: {
      targets: fan.targets,
      sent: fan.sent,
      ...fanout,
      lost,
      pending_at_end: fan.pendingAtEnd,
      send_seconds: round(fan.sendSeconds),
      agent_errors: Object.fromEntries(agents.errors),
    },
    // Aedes runs inside the server process: there, the server's figures are the broker's too.
    server: usage('server'),
    broker: stack.broker ? usage('broker') : 'embedded in the server process',
    bench_clients: usage('bench'),
    limits,
  };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kefu-bench-connections-'));
  const customers: Customer[] = [];
  const agentsOut: { agents?: Agents } = {};
  let stack: Stack | undefined;
  try {
    stack = await startStack(BROKER, dataDir);
    const result = await run(stack, customers, agentsOut);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } finally {
    log('stopping');
    await stopAll(customers);
    await Promise.all(
      [...(agentsOut.agents?.clients.values() ?? [])].map((a) => a.stop().catch(() => undefined)),
    );
    await stack?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
