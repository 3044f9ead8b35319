import { kefu } from '@kefu/proto';
import type { StoredMessage } from '../../repository/message-store/message-store.js';

const { Role } = kefu.v1;

function senderRole(role: string): kefu.v1.Role {
  if (role === 'c') return Role.ROLE_CUSTOMER;
  if (role === 'a') return Role.ROLE_AGENT;
  if (role === 'bot') return Role.ROLE_BOT;
  return Role.ROLE_SYSTEM;
}

/**
 * The wire form of a stored message for one audience. Recalled messages lose their content; customers
 * get internal notes only as `hidden` placeholders (id and seq, nothing of the note: no text, author, kind
 * or time) so their seq stays contiguous.
 */
export function toWireMessage(m: StoredMessage, audience: 'c' | 'a'): kefu.v1.IMessage {
  if (m.internalNote && audience === 'c') {
    return { id: m.id, conversationId: m.conversationId, seq: m.seq, hidden: true };
  }
  return {
    id: m.id,
    conversationId: m.conversationId,
    seq: m.seq,
    clientMsgId: m.clientMsgId,
    sender: { role: senderRole(m.senderRole), uid: m.senderUid, name: m.senderName ?? '' },
    content: m.recalledAt ? null : kefu.v1.Content.decode(m.content),
    createdAtMs: m.createdAt.getTime(),
    recalled: m.recalledAt !== undefined,
    quoteMessageId: m.quoteMessageId ?? '',
    internalNote: m.internalNote,
  };
}
