// How the server's conversation state and events change what the chat shows (pure: the chat applies the
// patch and tells its host).
import { kefu } from '@kefu/proto';
import type { ChatState } from './state.js';

const { ConversationStatus } = kefu.v1;

/**
 * The patch for a ConversationState from the server; undefined when it is ignored (a closed conversation
 * other than the one shown: the customer already moved on).
 */
export function conversationPatch<F>(
  s: ChatState<F>,
  c: kefu.v1.IConversationState,
  myUid: string | undefined,
): Partial<ChatState<F>> | undefined {
  const current = s.conversation;
  const closed = c.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
  if (current?.id && c.id !== current.id && closed) return undefined;
  const reads = (c.reads ?? []).filter((r) => r.uid !== myUid);
  const agentReadSeq = Math.max(0, ...reads.map((r) => r.readSeq ?? 0));
  const newConversation = current?.id !== c.id;
  // The server says whether to ask at close (answered by an agent, not rated on any device yet).
  const ask = closed && c.closeRating?.inviteId && !c.rated ? c.closeRating : undefined;
  const offer = ask?.inviteId && !s.rated.includes(ask.inviteId) ? ask : undefined;
  return {
    conversation: c,
    agentReadSeq: newConversation ? agentReadSeq : Math.max(s.agentReadSeq, agentReadSeq),
    ...(newConversation
      ? { messages: s.messages.filter((m) => m.conversationId === c.id), hasOlder: true }
      : {}),
    closeInvite: offer?.inviteId ?? undefined,
    closeRating: offer,
  };
}

/** The patch for a ConversationEvent (assigned, queued, closed) of the conversation shown. */
export function eventPatch<F>(s: ChatState<F>, e: kefu.v1.IConversationEvent): Partial<ChatState<F>> {
  const c = s.conversation;
  if (!c || c.id !== e.conversationId) return {};
  if (e.assigned?.agent)
    return {
      conversation: { ...c, status: ConversationStatus.CONVERSATION_STATUS_OPEN, agent: e.assigned.agent },
    };
  if (e.queued)
    return {
      conversation: { ...c, queuePosition: e.queued.position, estimatedWaitMs: e.queued.estimatedWaitMs },
    };
  // The state that follows says whether to ask for a rating (conversationPatch).
  if (e.closed) return { conversation: { ...c, status: ConversationStatus.CONVERSATION_STATUS_CLOSED } };
  return {};
}
