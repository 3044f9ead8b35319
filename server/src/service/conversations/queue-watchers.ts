import type { kefu } from '@kefu/proto';
import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { Conversation } from '../../repository/conversation-repository.js';
import type { PresenceRepository } from '../../repository/message-repository.js';
import type { Publisher } from '../messaging/publisher.js';

export interface QueueWatcherDeps {
  presence: PresenceRepository;
  agents: AgentRepository;
  publisher: Publisher;
  logger: Logger;
}

/**
 * A queued chat arrived in or left a queue: the online agents whose 排队中 list shows it (every agent for
 * `*`, the group's members, the designated agent) get the event, so their consoles update at once.
 * Never throws: a missed push is caught up by the console's next list refresh.
 */
export async function tellQueueWatchers(
  deps: QueueWatcherDeps,
  c: Conversation,
  body: Omit<kefu.v1.IConversationEvent, 'conversationId' | 'atMs'>,
  except?: string,
): Promise<void> {
  try {
    const key = c.routeKey ?? '*';
    let uids = await deps.presence.listOnlineAgents();
    if (key.startsWith('a:')) uids = uids.filter((u) => u === key.slice(2));
    else if (key.startsWith('g:')) {
      const members = new Set(await deps.agents.memberUidsOf([key.slice(2)]));
      uids = uids.filter((u) => members.has(u));
    }
    const envelope: kefu.v1.IEnvelope = {
      id: newId(),
      sentAtMs: Date.now(),
      conversationEvent: { conversationId: c.id, atMs: Date.now(), ...body },
    };
    await Promise.all(
      uids.filter((u) => u !== except).map((u) => deps.publisher.toUser('a', u, envelope, 1)),
    );
  } catch (err) {
    deps.logger.warn({ err, conversation: c.id }, 'queue watchers not told');
  }
}
