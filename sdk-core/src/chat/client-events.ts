// What a customer chat does with its client's events: connection status, the conversation's state and
// events (queue, agent, close) for the host, typing and read marks, recalls and refusals.
import { kefu } from '@kefu/proto';
import type { CustomerClient } from '../customer-client.js';
import type { ChatCore } from './chat-core.js';
import { conversationPatch, eventPatch } from './conversation-events.js';
import type { MessageList } from './message-list.js';

const { ConversationStatus } = kefu.v1;

/** How long the agent's "typing" shows without news (the agent's client repeats it while typing). */
const TYPING_SHOWN_MS = 6_000;

export interface ClientReactions<F> {
  messages: MessageList<F>;
  /** The client stopped by itself: the server refused the session for good (forged identity…). */
  sessionRefused(): void;
  /** The conversation exists and is open: send what waited for it. */
  flushWaiting(conversationId: string): void;
  /** The server refused a request that was not a message. */
  refused(code: string): void;
  recalled(messageId: string): void;
}

/** Follows `client` into the chat's state and the host's events; returns what stops its timers. */
export function followClient<F>(
  client: CustomerClient,
  core: ChatCore<F>,
  r: ClientReactions<F>,
): () => void {
  let typingTimer: ReturnType<typeof setTimeout> | undefined;
  const { host } = core;
  client.on('status', (s) => {
    if (s === 'stopped' && core.client() === client) r.sessionRefused();
    else if (core.state().status !== 'error') core.set({ status: s });
  });
  client.on('message', (m) => {
    r.messages.receive(m);
  });
  client.on('ack', (a) => {
    r.messages.acked(a);
  });
  client.on('conversation', (c) => {
    conversationState(core, r, c);
  });
  client.on('event', (e) => {
    core.set(eventPatch(core.state(), e));
    const agent = e.assigned?.agent;
    if (agent) host.emit('assigned', { uid: agent.uid ?? '', name: agent.name ?? '' });
    if (e.queued)
      host.emit('queue', {
        position: e.queued.position ?? 0,
        estimatedWaitMs: e.queued.estimatedWaitMs ?? 0,
      });
    if (e.closed) host.setActive(false);
  });
  client.on('typing', (t) => {
    if (t.conversationId !== core.state().conversation?.id) return;
    clearTimeout(typingTimer);
    core.set({ agentTyping: t.typing === true });
    if (t.typing)
      typingTimer = setTimeout(() => {
        core.set({ agentTyping: false });
      }, TYPING_SHOWN_MS);
  });
  client.on('read', (read) => {
    const state = core.state();
    if (read.conversationId === state.conversation?.id && read.reader?.uid !== client.uid)
      core.set({ agentReadSeq: Math.max(state.agentReadSeq, read.readSeq ?? 0) });
  });
  client.on('recalled', (recalled) => {
    r.recalled(recalled.messageId ?? '');
    core.set({
      messages: core
        .state()
        .messages.map((m) => (m.id === recalled.messageId ? { ...m, recalled: true, content: null } : m)),
    });
  });
  client.on('error', (e) => {
    host.emit('error', { code: e.code, message: e.message });
    const pending = core.state().pending;
    if (pending.some((p) => p.id === e.requestId))
      core.set({ pending: pending.map((p) => (p.id === e.requestId ? { ...p, state: 'failed' } : p)) });
    else r.refused(e.code);
  });
  return () => {
    clearTimeout(typingTimer);
  };
}

/** The conversation's state (from the server, or the answer to open()) into the chat and the host. */
export function conversationState<F>(
  core: ChatCore<F>,
  r: Pick<ClientReactions<F>, 'flushWaiting'>,
  c: kefu.v1.IConversationState,
): void {
  const patch = conversationPatch(core.state(), c, core.client()?.uid);
  if (!patch) return;
  core.set(patch);
  const closed = c.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
  core.host.setActive(!closed);
  if (c.status === ConversationStatus.CONVERSATION_STATUS_QUEUED)
    core.host.emit('queue', { position: c.queuePosition ?? 0, estimatedWaitMs: c.estimatedWaitMs ?? 0 });
  if (c.id && !closed) r.flushWaiting(c.id);
}
