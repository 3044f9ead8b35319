import type { Conversation } from '../../repository/conversation-repository.js';
import type { StoredMessage } from '../../repository/message-store/message-store.js';
import { newId } from '../../ids.js';
import type { Actor, Publisher } from './publisher.js';
import { toWireMessage } from './wire-message.js';

/** Everyone who receives the conversation's messages: its customer and its agent. */
export function participants(c: Conversation): Actor[] {
  const list: Actor[] = [{ role: 'c', uid: c.customerUid }];
  if (c.agentUid) list.push({ role: 'a', uid: c.agentUid });
  return list;
}

export function isParticipant(actor: Actor, c: Conversation): boolean {
  return actor.role === 'c' ? c.customerUid === actor.uid : c.agentUid === actor.uid;
}

/** A stored message to every participant, each in the form for their role (QoS 1). */
export async function fanOut(publisher: Publisher, m: StoredMessage, c: Conversation): Promise<void> {
  await Promise.all(
    participants(c).map((p) =>
      publisher.toUser(
        p.role,
        p.uid,
        { id: newId(), sentAtMs: Date.now(), message: toWireMessage(m, p.role) },
        1,
      ),
    ),
  );
}
