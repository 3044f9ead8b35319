import type mongoose from 'mongoose';
import { AgentRepository } from '../../src/repository/agent-repository.js';
import { ConversationRepository } from '../../src/repository/conversation-repository.js';
import { CustomerRepository } from '../../src/repository/customer-repository.js';
import { MessageRepository, PresenceRepository } from '../../src/repository/message-repository.js';
import { SettingRepository } from '../../src/repository/setting-repository.js';
import { ConversationService } from '../../src/service/messaging/conversation-service.js';
import type { Publisher } from '../../src/service/messaging/publisher.js';
import { SeqFrontier } from '../../src/service/messaging/seq-frontier.js';
import { Allocator } from '../../src/service/routing/allocator.js';
import { Seats } from '../../src/service/routing/seats.js';
import { silentLogger } from '../helpers.js';

/**
 * One server instance's conversation and routing services over a shared database (what two servers
 * share), without the broker: `publisher` records or drops what would be published.
 */
export function routingInstance(
  db: mongoose.Connection,
  publisher: Publisher = { toUser: () => Promise.resolve() },
): { service: ConversationService; allocator: Allocator } {
  const conversations = new ConversationRepository(db);
  const messages = new MessageRepository(db);
  const presence = new PresenceRepository(db);
  const agents = new AgentRepository(db);
  const seats = new Seats(
    conversations,
    async (id, agentUid) => {
      const c = await conversations.findConversation(id);
      return c?.status === 'open' && c.agentUid === agentUid;
    },
    silentLogger,
  );
  const allocator = new Allocator({
    presence,
    conversations,
    agents,
    settings: new SettingRepository(db),
    seats,
    logger: silentLogger,
  });
  const service = new ConversationService({
    conversations,
    messages,
    presence,
    agents,
    publisher,
    logger: silentLogger,
    frontier: new SeqFrontier(messages),
    customers: new CustomerRepository(db),
    seats,
    allocator,
  });
  return { service, allocator };
}

/** An agent account with a reception limit, online (status online) on one device. */
export async function onlineAgent(
  db: mongoose.Connection,
  uid: string,
  limit: number,
  createdAt = new Date(),
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
  });
  await new PresenceRepository(db).savePresence({
    uid,
    device: 'd1',
    role: 'a',
    online: true,
    agentStatus: 'online',
  });
}
