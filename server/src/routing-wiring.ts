import type { Connection } from 'mongoose';
import type { Logger } from './log.js';
import { AgentRepository } from './repository/agent-repository.js';
import { ConversationRepository } from './repository/conversation-repository.js';
import { CustomerRepository } from './repository/customer-repository.js';
import { GroupRepository } from './repository/group-repository.js';
import { MessageRepository, PresenceRepository } from './repository/message-repository.js';
import { SettingRepository } from './repository/setting-repository.js';
import { SeatRepository } from './repository/seat-repository.js';
import { ConversationService } from './service/messaging/conversation-service.js';
import type { Publisher } from './service/messaging/publisher.js';
import { DocumentMessageStore } from './repository/message-store/document-message-store.js';
import { MessageService } from './service/messaging/message-service.js';
import { RoutingRepository } from './repository/routing-repository.js';
import { WorkbenchRepository } from './repository/workbench-repository.js';
import { ConversationActivity } from './service/workbench/activity.js';
import { TransferService } from './service/workbench/transfer.js';
import { RoutingTimeouts } from './service/routing/timeouts.js';
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
    new SeatRepository(db),
    async (conversationId, agentUid) => {
      const c = await conversations.findConversation(conversationId);
      return c?.status === 'open' && c.agentUid === agentUid;
    },
    logger,
  );
  return new Allocator({
    ...repos,
    groups: new GroupRepository(db),
    settings: new SettingRepository(db),
    seats,
    logger,
  });
}

/**
 * The conversation lifecycle, messaging and routing (with its timeouts and automatic transfers) of one
 * instance over a database, without broker or HTTP: `publisher` gets what would go out over MQTT. For
 * tests and the routing benchmark (several of these over one database behave as several servers do).
 */
export function createConversationServices(
  db: Connection,
  logger: Logger,
  publisher: Publisher = { toUser: () => Promise.resolve() },
  options: { regions?: (ip: string) => string[] } = {},
) {
  const conversations = new ConversationRepository(db);
  const messages = new MessageRepository(db);
  const presence = new PresenceRepository(db);
  const agents = new AgentRepository(db);
  const routing = new RoutingRepository(db);
  const workbench = new WorkbenchRepository(db);
  const store = new DocumentMessageStore(messages);
  const allocator = createAllocator(db, logger, { conversations, agents, presence });
  const service = new ConversationService({
    conversations,
    presence,
    agents,
    publisher,
    logger,
    lastSeq: (id) => store.lastSeq(id),
    customers: new CustomerRepository(db),
    allocator,
    routing,
    ...(options.regions ? { regions: options.regions } : {}),
  });
  const messaging = new MessageService({
    messages: store,
    conversations,
    conversationService: service,
    publisher,
    logger,
    recallWindowS: 120,
    activity: new ConversationActivity(workbench),
  });
  service.attachNotices((c, notice, opts) => messaging.notice(c, notice, opts));
  const transfers = new TransferService({
    workbench,
    conversations,
    presence,
    allocator,
    agents,
    groups: new GroupRepository(db),
    conversationService: () => service,
    publisher: () => publisher,
  });
  const timeouts = new RoutingTimeouts({
    conversations,
    service: () => service,
    config: () => allocator.config(),
    reassign: (id, from, route) => transfers.reassign(id, from, route),
    logger,
  });
  return { service, allocator, messaging, transfers, timeouts, routing };
}
