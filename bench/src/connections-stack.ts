// What bench:connections runs against: FerretDB, one compiled Kefu server on the embedded Aedes broker
// or on Mosquitto, and the agents who send the fan-out. Also reads what the kernel says about a process
// (RSS, open file descriptors and their limit), for the per-connection figures and the limits found.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import mongoose from 'mongoose';
import {
  getFreePort,
  startFerretDb,
  startMosquitto,
  type FerretDbInstance,
  type ManagedProcess,
  type MosquittoInstance,
} from '@kefu/tools';
import { hashPassword } from '@kefu/server';
import { BENCH_SESSIONS_PER_IP_PER_MINUTE, startBenchServer } from './server-process.js';
import { processUsage } from './stats.js';

export type BrokerKind = 'aedes' | 'mosquitto';

/**
 * The session API allows 60 session requests per client IP per minute by default (per instance); every
 * bench customer comes from 127.0.0.1, so the bench's own server allows the schema's maximum instead.
 */
export const SESSION_REQUESTS_PER_IP_PER_MINUTE = BENCH_SESSIONS_PER_IP_PER_MINUTE;

export interface Stack {
  readonly base: string;
  readonly server: ManagedProcess;
  /** Mosquitto's process; undefined on Aedes, which runs inside the server. */
  readonly broker: ManagedProcess | undefined;
  readonly mongodbUri: string;
  stop(): Promise<void>;
}

export interface AgentAccount {
  username: string;
  password: string;
}

/**
 * How the server is run: compiled (`npm run bench:connections`), or from its TypeScript sources when
 * this file itself runs from source (the smoke test), so a stale dist/ is never measured by a test.
 */
function serverCommand(): string[] {
  const fromSource = import.meta.url.endsWith('.ts');
  const entry = fileURLToPath(
    new URL(`../../server/${fromSource ? 'src/main.ts' : 'dist/main.js'}`, import.meta.url),
  );
  return fromSource ? ['--conditions=source', '--import', 'tsx', entry] : [entry];
}

export async function startStack(brokerKind: BrokerKind, dataDir: string): Promise<Stack> {
  let db: FerretDbInstance | undefined;
  let mosquitto: MosquittoInstance | undefined;
  let server: ManagedProcess | undefined;
  const stop = async (): Promise<void> => {
    await server?.stop();
    await mosquitto?.stop();
    await db?.stop();
  };
  try {
    db = await startFerretDb({ dataDir });
    if (brokerKind === 'mosquitto') mosquitto = await startMosquitto();
    const port = await getFreePort();
    const mongodbUri = `${db.uri}benchconnections`;
    const brokerEnv: Record<string, string> = mosquitto
      ? { MQTT_URL: mosquitto.url, PUBLIC_MQTT_URL: mosquitto.wsUrl, MQTT_SHARED_SUBSCRIPTION: 'true' }
      : { EMBEDDED_MQTT_PORT: String(await getFreePort()) };
    server = await startBenchServer({
      name: 'server',
      port,
      mongodbUri,
      command: serverCommand(),
      env: { DATA_DIR: join(dataDir, 'server'), ...brokerEnv },
    });
    return {
      base: `http://127.0.0.1:${String(port)}`,
      server,
      broker: mosquitto?.process,
      mongodbUri,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Agent accounts with room for every conversation (stored directly: there is no admin client here). */
export async function seedAgents(
  mongodbUri: string,
  count: number,
  maxConcurrent: number,
): Promise<AgentAccount[]> {
  const conn = await mongoose.createConnection(mongodbUri).asPromise();
  try {
    const agents = conn.db?.collection('agents');
    if (!agents) throw new Error('no database handle');
    const password = 'bench-agent-pass';
    const passwordHash = await hashPassword(password);
    const accounts: AgentAccount[] = [];
    for (let i = 0; i < count; i++) {
      const username = `fanout${String(i)}`;
      await agents.insertOne({
        _id: `a_fanout${String(i)}`,
        username,
        display_name: `客服${String(i)}`,
        role: 'agent',
        password_hash: passwordHash,
        max_concurrent: maxConcurrent,
        disabled: false,
        created_at: new Date(),
      } as never);
      accounts.push({ username, password });
    }
    return accounts;
  } finally {
    await conn.close();
  }
}

export interface ProcessSample {
  rssMb: number;
  cpuS: number;
  openFds: number;
  fdLimit: number;
}

/** RSS, CPU, open file descriptors and the soft limit on them, from /proc (Linux). */
export async function sampleProcess(pid: number): Promise<ProcessSample> {
  const [usage, fds, limits] = await Promise.all([
    processUsage(pid),
    readdir(`/proc/${String(pid)}/fd`),
    readFile(`/proc/${String(pid)}/limits`, 'utf8'),
  ]);
  const soft = /^Max open files\s+(\S+)/m.exec(limits)?.[1] ?? 'unlimited';
  return {
    rssMb: usage.rssMb,
    cpuS: usage.cpuS,
    openFds: fds.length,
    fdLimit: soft === 'unlimited' ? Number.POSITIVE_INFINITY : Number(soft),
  };
}
