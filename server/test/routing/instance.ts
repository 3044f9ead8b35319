import type mongoose from 'mongoose';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { PresenceRepository } from '../../src/repository/message-repository.js';
import type { Publisher } from '../../src/service/messaging/publisher.js';
import { loadConfig } from '../../src/config.js';
import { createCore } from '../../src/core.js';
import { silentLogger } from '../helpers.js';

/**
 * One server instance's conversation and routing services over a shared database (what two servers
 * share), without the broker: `publisher` records or drops what would be published.
 */
export function routingInstance(
  db: mongoose.Connection,
  publisher?: Publisher,
  options: { regions?: (ip: string) => string[] } = {},
) {
  // The server's own defaults (RECALL_WINDOW_S …), as `npm start` runs with them.
  const config = loadConfig({ NODE_ENV: 'test' });
  return createCore(db, silentLogger, publisher ?? { toUser: () => Promise.resolve() }, {
    recallWindowS: config.recallWindowS,
    routingScanIntervalMs: config.routingScanIntervalMs,
    ...options,
  });
}

/** An agent account with a reception limit, online (status online) on one device. */
export async function onlineAgent(
  db: mongoose.Connection,
  uid: string,
  limit: number,
  createdAt = new Date(),
  groupIds: string[] = [],
) {
  await new AgentRepository(db).createAgent({
    uid,
    username: uid,
    displayName: uid,
    role: 'agent',
    passwordHash: '',
    maxConcurrent: limit,
    disabled: false,
    createdAt,
    groupIds,
  });
  await new PresenceRepository(db).savePresence({
    uid,
    device: 'd1',
    role: 'a',
    online: true,
    agentStatus: 'online',
  });
}
