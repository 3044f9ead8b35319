// The fan-out of bench:connections: every customer gets one message from the agent its conversation was
// assigned to, through the whole message path (agent uplink → server → database → broker → customer).
// The server lets each sender publish 20 envelopes a second with a burst of 60 (the bridge's uplink rate
// limit, server/src/port/mqtt/bridge.ts), so each agent sends well below that rate.
import { createAgentClient, createMemoryStorage, type AgentClient } from '@kefu/sdk-core';
import { http, pool, transport } from './clients.js';
import type { Customer } from './connections-customers.js';
import type { AgentAccount } from './connections-stack.js';

export interface Agents {
  readonly clients: Map<string, AgentClient>;
  /** Errors the server answered the agents with, by code (`rate_limited`: over the uplink rate). */
  readonly errors: Map<string, number>;
}

/** Signs the agents in and waits until every one is online (so conversations are assigned to them). */
export async function startAgents(base: string, accounts: readonly AgentAccount[]): Promise<Agents> {
  const clients = new Map<string, AgentClient>();
  const errors = new Map<string, number>();
  await pool(accounts, 10, async (account) => {
    // backfill false, as the console: its many new conversations must not each be replayed.
    const agent = createAgentClient({
      baseUrl: base,
      transport,
      http,
      storage: createMemoryStorage(),
      backfill: false,
      ...account,
    });
    agent.on('error', (e) => errors.set(e.code, (errors.get(e.code) ?? 0) + 1));
    const session = await agent.start();
    clients.set(session.uid, agent);
  });
  const deadline = performance.now() + 30_000;
  while ([...clients.values()].some((a) => a.status !== 'online')) {
    if (performance.now() > deadline) throw new Error('the agents did not come online within 30 s');
    await new Promise((r) => setTimeout(r, 50));
  }
  return { clients, errors };
}

export interface FanoutResult {
  /** Customers with an assigned conversation, and how many of them were sent their message. */
  targets: number;
  sent: number;
  /** performance.now() of the first send, and how long sending took. */
  startedAt: number;
  sendSeconds: number;
  /** Still in an agent's outbox (unacknowledged by the server) when the drain ended. */
  pendingAtEnd: number;
}

/**
 * Sends one message into every customer's conversation, each agent at `ratePerAgent` a second, then
 * waits up to `drainMs` for every delivery. `fanoutIds` gets each message's client_msg_id as it is sent.
 */
export async function fanOut(
  agents: Agents,
  customers: readonly Customer[],
  ratePerAgent: number,
  drainMs: number,
  fanoutIds: Set<string>,
): Promise<FanoutResult> {
  const queues = new Map<AgentClient, Customer[]>();
  let targets = 0;
  for (const c of customers) {
    const agent = c.agentUid === undefined ? undefined : agents.clients.get(c.agentUid);
    if (!agent || !c.conversationId) continue;
    targets += 1;
    const queue = queues.get(agent) ?? [];
    queue.push(c);
    queues.set(agent, queue);
  }
  const startedAt = performance.now();
  let sent = 0;
  const sends: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const next = new Map<AgentClient, number>();
    const tick = (): void => {
      const due = Math.floor(((performance.now() - startedAt) / 1000) * ratePerAgent) + 1;
      let left = 0;
      for (const [agent, queue] of queues) {
        let i = next.get(agent) ?? 0;
        for (; i < Math.min(due, queue.length); i++) {
          const c = queue[i] as Customer;
          c.sentAt = performance.now();
          sent += 1;
          sends.push(
            agent.sendText(c.conversationId ?? '', `群发测试 ${String(c.index)}`).then((id) => {
              fanoutIds.add(id);
            }),
          );
        }
        next.set(agent, i);
        left += queue.length - i;
      }
      if (left === 0) {
        clearInterval(timer);
        resolve();
      }
    };
    const timer = setInterval(tick, 10);
    tick();
  });
  await Promise.all(sends);
  const sendSeconds = (performance.now() - startedAt) / 1000;
  const deadline = performance.now() + drainMs;
  const waiting = (): boolean => customers.some((c) => c.sentAt !== undefined && c.received === 0);
  while (waiting() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  let pendingAtEnd = 0;
  for (const agent of agents.clients.values()) pendingAtEnd += agent.pending().length;
  return { targets, sent, startedAt, sendSeconds, pendingAtEnd };
}
