import type { Connection } from 'mongoose';
import type { Logger } from './log.js';
import { AgentRepository } from './repository/agent-repository.js';
import { ConversationRepository } from './repository/conversation-repository.js';
import { CustomerRepository } from './repository/customer-repository.js';
import { MessageRepository, PresenceRepository } from './repository/message-repository.js';
import { SettingRepository } from './repository/setting-repository.js';
import { ConversationService } from './service/messaging/conversation-service.js';
import type { Publisher } from './service/messaging/publisher.js';
import { SeqFrontier } from './service/messaging/seq-frontier.js';
import { Allocator } from './service/routing/allocator.js';
import { Seats } from './service/routing/seats.js';

/** The routing engine (service/routing): the allocator over its reception seats. */
export function createAllocator(
  db: Connection,
  logger: Logger,
  repos: { conversations: ConversationRepository; agents: AgentRepository; presence: PresenceRepository },
): Allocator {
  const { conversations } = repos;
  const seats = new Seats(
    conversations,
    async (conversationId, agentUid) => {
      const c = await conversations.findConversation(conversationId);
      return c?.status === 'open' && c.agentUid === agentUid;
    },
    logger,
  );
  return new Allocator({ ...repos, settings: new SettingRepository(db), seats, logger });
}

/**
 * The conversation lifecycle and routing of one instance over a database, without broker or HTTP:
 * `publisher` gets what would go out over MQTT. For tests and the routing benchmark (several of these
 * over one database behave as several servers do).
 */
export function createConversationServices(
  db: Connection,
  logger: Logger,
  publisher: Publisher = { toUser: () => Promise.resolve() },
): { service: ConversationService; allocator: Allocator } {
  const conversations = new ConversationRepository(db);
  const messages = new MessageRepository(db);
  const presence = new PresenceRepository(db);
  const agents = new AgentRepository(db);
  const allocator = createAllocator(db, logger, { conversations, agents, presence });
  const service = new ConversationService({
    conversations,
    messages,
    presence,
    agents,
    publisher,
    logger,
    frontier: new SeqFrontier(messages),
    customers: new CustomerRepository(db),
    allocator,
  });
  return { service, allocator };
}
