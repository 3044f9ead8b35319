// The routing load shared by the routing fault files — the routing engine scaled out: two real server processes (one shared subscription on Mosquitto, one
// FerretDB database), 10 agents with reception limits and 200 mall customers, all real sdk-core clients.
// Which process handles a customer's `open` is the broker's choice; agents close chats through their own
// clients. Each allocation mode gets a short arrival wave from a known state (both processes restarted,
// so their ~1 s caches start from the database); then 200 customers arrive at once and are served in
// rounds while the invariants are checked against the database after every round.

//
// This module holds the scenario's people and their setup; routing-modes.test.ts plays the mode waves and
// routing-200-customers.test.ts the 200 arrivals, each on a cluster of its own.
import { afterAll, beforeAll, expect } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import {
  createCustomerClient,
  createMemoryStorage,
  type AgentClient,
  type CustomerClient,
} from '@kefu/sdk-core';
import { DEV_IDENTITY_SECRET } from '../../src/config.js';
import { conversationModel, type ConversationDoc } from '../../src/model/conversation.js';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { PresenceRepository } from '../../src/repository/message-repository.js';
import { signIdentity } from '../../src/service/auth/identity.js';
import { hashPassword } from '../../src/service/auth/password.js';
import { agent, http, online, transport } from '../messaging/harness.js';
import { ADMIN_PASSWORD, faultScope, startCluster, type Cluster } from './cluster.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const LIMITS = [2, 3, 4, 5, 6, 2, 3, 4, 5, 6];
export const CAPACITY = LIMITS.reduce((a, b) => a + b, 0);
export const AGENTS = LIMITS.map((_, i) => `a_rp${String(i)}`);
/** Account creation order = index order (round-robin's order). */
export const CREATED = LIMITS.map((_, i) => new Date(Date.UTC(2026, 0, 1, 0, i)));
const PASSWORD = 'agent-pass-123';

export const CUSTOMERS = 200;
export const customerUid = (i: number) => `u_rp${String(i).padStart(3, '0')}`;
/** Mall-signed facts: every 10th customer a VIP (levels 0–4), every 25th carries the queue-first tag. */
const QUEUE_FIRST_TAG = '急单';
const identityFacts = (i: number) => ({
  level: i % 5,
  vip: i % 10 === 3,
  tags: i % 25 === 7 ? [QUEUE_FIRST_TAG] : ['普通'],
});
export const expectedPriority = (i: number) => (i % 25 === 7 ? 1000 : 0) + (i % 10 === 3 ? 100 + (i % 5) : 0);

const indexOfAgent = (uid: string | null | undefined) => AGENTS.indexOf(uid ?? '');

/** Stops every client, each given at most 10 s (cleanup must not hang on one stuck connection). */
async function stopAll(clients: (AgentClient | CustomerClient)[]): Promise<void> {
  await Promise.all(clients.map((c) => Promise.race([c.stop().catch(() => undefined), sleep(10_000)])));
}

/** What the checks read of a conversation. */
export type Conversation = Pick<
  ConversationDoc,
  | '_id'
  | 'customer_uid'
  | 'status'
  | 'agent_uid'
  | 'seat'
  | 'priority'
  | 'queued_at'
  | 'created_at'
  | 'assigned_at'
>;

function add(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

export interface RoutingLoad {
  /** The two server processes, the broker and the database (set in beforeAll). */
  readonly cluster: Cluster;
  agents: AgentClient[];
  customers: CustomerClient[];
  /** Conversation → the agents whose clients were told it is theirs. */
  toldAgents: Map<string, Set<string>>;
  /** Conversation → the agent whose own client heard it was chosen. */
  heardOwn: Map<string, Set<string>>;
  /** Conversation → the agents its customer's client was told about. */
  toldCustomer: Map<string, Set<string>>;
  setMode: (mode: string) => Promise<void>;
  modeSeen: (mode: string) => Promise<void>;
  conversations: () => Promise<Conversation[]>;
  live: () => Promise<Conversation[]>;
  closeChats: (docs: Conversation[]) => Promise<void>;
  /** Waits until every agent is online and available (presence). */
  agentsAvailable: () => Promise<void>;
}

/**
 * Starts the cluster (database `label`) before the file's tests, signs the 10 agents in (online) and the
 * 200 customers in (no conversation yet); stops everything after the file.
 */
export function useRoutingLoad(label: string): RoutingLoad {
  const scope = faultScope();
  let cluster: Cluster;
  let adminToken = '';
  const agents: AgentClient[] = [];
  const customers: CustomerClient[] = [];
  /** Conversation → the agents whose clients were told it is theirs. */
  const toldAgents = new Map<string, Set<string>>();
  const heardOwn = new Map<string, Set<string>>();
  /** Conversation → the agents its customer's client was told about. */
  const toldCustomer = new Map<string, Set<string>>();

  beforeAll(async () => {
    // 210 clients sign in from one address: above the default 60 session requests a minute per instance.
    process.env['SESSION_REQUESTS_PER_IP_PER_MINUTE'] = '10000';
    cluster = scope.cluster = await startCluster(label, 2);
    scope.extra.push({ stop: () => stopAll([...agents, ...customers]) });
    const hash = await hashPassword(PASSWORD);
    const repo = new AgentRepository(cluster.db);
    for (const [i, uid] of AGENTS.entries()) {
      await repo.createAgent({
        uid,
        username: uid.slice(2),
        displayName: uid,
        role: 'agent',
        passwordHash: hash,
        maxConcurrent: LIMITS[i]!,
        disabled: false,
        createdAt: CREATED[i]!,
      });
    }

    const res = await fetch(`${cluster.url(0)}/api/v1/agent/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(201);
    adminToken = ((await res.json()) as { token: string }).token;
    await setMode('saturation');

    // Agents sign in on both servers alternately and go online (status online).
    for (const [i, uid] of AGENTS.entries()) {
      const a = agent(cluster.url(i % 2), uid.slice(2), PASSWORD);
      a.on('event', (e) => {
        // The agents watching the queue hear of the assignment too (queue-watchers.ts): what counts is
        // whom it names, and that the chosen agent heard it.
        if (!e.assigned || !e.conversationId) return;
        add(toldAgents, e.conversationId, e.assigned.agent?.uid ?? '');
        if (e.assigned.agent?.uid === uid) add(heardOwn, e.conversationId, uid);
      });
      agents.push(a);
    }
    await Promise.all(agents.map(async (a) => a.start()));
    await Promise.all(agents.map(online));
    await agentsAvailable();

    for (let i = 0; i < CUSTOMERS; i++) {
      const c = createCustomerClient({
        baseUrl: cluster.url(i % 2),
        transport,
        http,
        storage: createMemoryStorage(),
        identify: () => {
          const identity = {
            user_id: customerUid(i).slice(2),
            ts: Math.floor(Date.now() / 1000),
            ...identityFacts(i),
          };
          return Promise.resolve({ identity, signature: signIdentity(DEV_IDENTITY_SECRET, identity) });
        },
      });
      c.on('event', (e) => {
        if (e.assigned && e.conversationId) add(toldCustomer, e.conversationId, e.assigned.agent?.uid ?? '');
      });
      customers.push(c);
    }
    for (let k = 0; k < CUSTOMERS; k += 25)
      await Promise.all(customers.slice(k, k + 25).map(async (c) => c.start()));
    await Promise.all(customers.map(online));
  }, 180_000);

  afterAll(() => {
    delete process.env['SESSION_REQUESTS_PER_IP_PER_MINUTE'];
  });

  async function agentsAvailable(): Promise<void> {
    const presence = new PresenceRepository(cluster.db);
    await waitFor('all 10 agents available', async () => {
      const available = await presence.listAvailableAgents();
      return AGENTS.every((uid) => available.includes(uid));
    });
  }

  async function routing(i: number, method: 'GET' | 'PUT', body?: unknown): Promise<{ mode?: string }> {
    const res = await fetch(`${cluster.url(i)}/api/v1/admin/routing`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { mode?: string };
  }

  /**
   * Sets the allocation mode (and the queue-first tag) through the admin API, then waits until both
   * processes answer with it (see modeSeen).
   */
  async function setMode(mode: string): Promise<void> {
    await routing(0, 'PUT', { mode, queue_first_tags: [QUEUE_FIRST_TAG] });
    await modeSeen(mode);
  }

  /**
   * Both processes answer with `mode`: each has read the setting since it changed (a cached setting is
   * answered while it is read again, so the first answer may be the old one).
   */
  async function modeSeen(mode: string): Promise<void> {
    await waitFor(
      `both processes use ${mode}`,
      async () => {
        for (const i of [0, 1]) if ((await routing(i, 'GET')).mode !== mode) return false;
        return true;
      },
      { intervalMs: 50 },
    );
  }

  /** Every conversation, with the fields these checks read (FerretDB: a projection keeps polls cheap). */
  const conversations = () =>
    conversationModel(cluster.db)
      .find(
        {},
        {
          customer_uid: 1,
          status: 1,
          agent_uid: 1,
          seat: 1,
          priority: 1,
          queued_at: 1,
          created_at: 1,
          assigned_at: 1,
        },
      )
      .lean<Conversation[]>();
  const live = async () => (await conversations()).filter((d) => d.status !== 'closed');

  /** Closes chats through their agents' clients and waits until the database has them closed. */
  async function closeChats(docs: Conversation[]): Promise<void> {
    await Promise.all(docs.map((d) => agents[indexOfAgent(d.agent_uid)]!.close(d._id, 'done')));
    const ids = new Set(docs.map((d) => d._id));
    await waitFor(
      `${String(ids.size)} chats closed`,
      async () => (await conversations()).every((d) => !ids.has(d._id) || d.status === 'closed'),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  return {
    get cluster() {
      return cluster;
    },
    agents,
    customers,
    toldAgents,
    heardOwn,
    toldCustomer,
    setMode,
    modeSeen,
    conversations,
    live,
    closeChats,
    agentsAvailable,
  };
}
