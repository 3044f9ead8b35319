import type { Connection } from 'mongoose';
import type { Logger } from './log.js';
import { AgentRepository } from './repository/agent-repository.js';
import { AuditLogRepository } from './repository/audit-log-repository.js';
import { ConversationRepository } from './repository/conversation-repository.js';
import { CustomerRepository } from './repository/customer-repository.js';
import { GroupRepository } from './repository/group-repository.js';
import { LeaveMessageRepository } from './repository/leave-message-repository.js';
import { MessageRepository, PresenceRepository } from './repository/message-repository.js';
import { DocumentMessageStore } from './repository/message-store/document-message-store.js';
import { RatingRepository } from './repository/rating-repository.js';
import { ReadMarkRepository } from './repository/read-mark-repository.js';
import { RoutingRepository } from './repository/routing-repository.js';
import { SeatRepository } from './repository/seat-repository.js';
import { SettingRepository } from './repository/setting-repository.js';
import { UploadRepository } from './repository/upload-repository.js';
import { WorkbenchRepository } from './repository/workbench-repository.js';
import { AgentDirectory } from './service/conversations/agent-directory.js';
import { ConversationService } from './service/conversations/conversation-service.js';
import { ConversationStates } from './service/conversations/conversation-state.js';
import { Placement } from './service/conversations/placement.js';
import { PresenceService } from './service/conversations/presence-service.js';
import { QueuePositions } from './service/conversations/queue-positions.js';
import { QueueSweeper } from './service/conversations/queue-sweeper.js';
import { RoutingEventRecorder } from './service/conversations/routing-events.js';
import { WaitEstimator } from './service/conversations/wait-estimate.js';
import { MessageService } from './service/messaging/message-service.js';
import { MessageSync } from './service/messaging/message-sync.js';
import { NoticePoster } from './service/messaging/notices.js';
import { Receipts } from './service/messaging/receipts.js';
import type { Publisher } from './service/messaging/publisher.js';
import { RatingTemplateService } from './service/ratings/rating-template-service.js';
import { Allocator } from './service/routing/allocator.js';
import { Seats } from './service/routing/seats.js';
import { RoutingTimeouts } from './service/routing/timeouts.js';
import { ConversationActivity } from './service/workbench/activity.js';
import { TransferService } from './service/workbench/transfer.js';

export interface CoreOptions {
  /** Customers and agents may recall their messages this long (RECALL_WINDOW_S). */
  recallWindowS: number;
  /** Country, province and city of an address (smart routing by region). */
  regions?: ((ip: string) => string[]) | undefined;
  /** How often the routing timeouts scan (ROUTING_SCAN_INTERVAL_MS). */
  routingScanIntervalMs?: number | undefined;
}

/**
 * The conversation core — lifecycle, routing, messaging, transfers and timeouts over the database — built
 * once, in this one place, for the server (server.ts), the tests and the benchmarks. `publisher` gets what
 * goes out over MQTT (the server's is the broker's, masking names for agents without pii:view).
 */
export function createCore(db: Connection, logger: Logger, publisher: Publisher, options: CoreOptions) {
  const conversations = new ConversationRepository(db);
  const presence = new PresenceRepository(db);
  const agents = new AgentRepository(db);
  const groups = new GroupRepository(db);
  const routing = new RoutingRepository(db);
  const workbench = new WorkbenchRepository(db);
  const ratings = new RatingRepository(db);
  const uploads = new UploadRepository(db);
  const leftMessages = new LeaveMessageRepository(db);
  const messages = new DocumentMessageStore(new MessageRepository(db), new ReadMarkRepository(db));
  const settings = new SettingRepository(db);
  const ratingTemplates = new RatingTemplateService(settings, new AuditLogRepository(db));

  const seats = new Seats(
    new SeatRepository(db),
    async (conversationId, agentUid) => {
      const c = await conversations.findConversation(conversationId);
      return c?.status === 'open' && c.agentUid === agentUid;
    },
    logger,
  );
  const allocator = new Allocator({
    agents,
    presence,
    groups,
    settings,
    seats,
    logger,
  });

  const notices = new NoticePoster({ messages, publisher, logger });
  const events = new RoutingEventRecorder(routing, logger);
  const directory = new AgentDirectory(agents);
  const waits = new WaitEstimator({
    onlineCapacity: (target) => allocator.onlineCapacity(target),
    recentHandlingTimes: (limit) => conversations.recentHandlingTimes(limit),
  });
  const states = new ConversationStates({
    lastSeq: (id) => messages.lastSeq(id),
    conversations,
    targetState: (target) => allocator.targetState(target),
    waits,
    agents: directory,
    ratings: {
      hasRating: (id) => ratings.hasRating(id),
      templateFor: (groupId) => ratingTemplates.forGroup(groupId),
    },
  });
  const positions = new QueuePositions({ conversations, waits, publisher, logger });
  const placement = new Placement({
    conversations,
    allocator,
    events,
    notices: notices.say,
    states,
    directory,
    positions,
    presence,
    agents,
    publisher,
    logger,
    regions: options.regions,
    leftMessages,
  });
  const sweeper = new QueueSweeper({ conversations, placement, positions, logger });
  const service = new ConversationService({
    conversations,
    presence,
    agents,
    publisher,
    logger,
    allocator,
    placement,
    sweeper,
    positions,
    states,
    directory,
    events,
    notices: notices.say,
    customers: new CustomerRepository(db),
    blacklist: routing,
  });
  const messaging = new MessageService({
    messages,
    conversations,
    conversationService: service,
    publisher,
    logger,
    recallWindowS: options.recallWindowS,
    ratings,
    ratingTemplates,
    uploads,
    activity: new ConversationActivity(workbench),
  });
  const transfers = new TransferService({
    workbench,
    conversations,
    presence,
    allocator,
    agents,
    groups,
    conversationService: service,
    sweeper,
    events,
    notices: notices.say,
    publisher,
  });
  const timeouts = new RoutingTimeouts({
    conversations,
    service,
    events,
    notices: notices.say,
    config: () => allocator.config(),
    reassign: (id, from, route) => transfers.reassign(id, from, route),
    logger,
    ...(options.routingScanIntervalMs ? { intervalMs: options.routingScanIntervalMs } : {}),
  });
  const sessionParts = { messages, conversations, conversationService: service, publisher };
  return {
    service,
    messaging,
    sync: new MessageSync(sessionParts),
    receipts: new Receipts(sessionParts),
    presence: new PresenceService({ presence, allocator, sweeper }),
    allocator,
    transfers,
    timeouts,
    sweeper,
    events,
    notices,
    routing,
    messages,
    ratingTemplates,
    uploads,
    leftMessages,
    conversations,
    /** Everything written in the background so far is stored (shutdown, tests). */
    async settled(): Promise<void> {
      await sweeper.settled();
      await Promise.all([allocator.flushAssigned(), events.written()]);
    },
  };
}

export type Core = ReturnType<typeof createCore>;
