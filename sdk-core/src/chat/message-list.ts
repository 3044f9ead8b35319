// The message list of a customer chat: history over HTTP and live messages over MQTT merged by seq
// (`hidden` placeholders never show), rows shown from their ack until the stored copy arrives, unread
// counting and read receipts.
import { kefu } from '@kefu/proto';
import type { ChatCore } from './chat-core.js';
import { insertBySeq } from './state.js';

export class MessageList<F> {
  private readonly incoming = new Set<(m: kefu.v1.IMessage) => void>();
  /** Messages shown from their ack, until their stored copy arrives. */
  private readonly provisional = new Set<string>();
  /** Server clock minus this device's, from this device's own fresh messages. */
  private clockOffset = 0;

  constructor(private readonly core: ChatCore<F>) {}

  /** Called for every new message (the web panel uses it for sound and the tab title). */
  onIncoming(fn: (m: kefu.v1.IMessage) => void): () => void {
    this.incoming.add(fn);
    return () => this.incoming.delete(fn);
  }

  /** Now on the server's clock (recall windows are the server's). */
  serverNow(): number {
    return Date.now() + this.clockOffset;
  }

  /**
   * The server stored a message sent from here. Until its fanned-out copy arrives (which may take a
   * while under load) the row stays, as the stored message built from the ack; the copy then replaces
   * it (the server may have completed the content, e.g. a voice clip's measured length).
   */
  acked(a: kefu.v1.IMessageAck): void {
    const state = this.core.state();
    const p = state.pending.find((x) => x.id === a.clientMsgId);
    const c = state.conversation;
    if (!p || !a.messageId || !c?.id || a.conversationId !== c.id) {
      this.core.set({ pending: state.pending.filter((x) => x.id !== a.clientMsgId) });
      return;
    }
    this.provisional.add(a.messageId);
    this.receive({
      id: a.messageId,
      conversationId: a.conversationId,
      seq: a.seq ?? 0,
      clientMsgId: a.clientMsgId ?? '',
      sender: {
        role: kefu.v1.Role.ROLE_CUSTOMER,
        uid: this.core.client()?.uid ?? '',
        name: state.customerName ?? '',
      },
      content: p.content,
      createdAtMs: a.createdAtMs ?? Date.now(),
      quoteMessageId: p.quoteMessageId ?? '',
    });
  }

  receive(m: kefu.v1.IMessage): void {
    if (m.hidden) return;
    const { core } = this;
    const state = core.state();
    const list = state.messages;
    const at = list.findIndex((x) => x.id === m.id);
    if (at >= 0) {
      // The stored copy of a message shown from its ack.
      if (m.id && this.provisional.delete(m.id))
        core.set({ messages: [...list.slice(0, at), m, ...list.slice(at + 1)] });
      return;
    }
    const messages = insertBySeq(list, m);
    const mine = m.sender?.uid === core.client()?.uid;
    const fresh = mine && state.pending.some((p) => p.id === m.clientMsgId);
    // Just sent from here: its server time tells how far this device's clock is off (recall window).
    if (fresh && m.createdAtMs) this.clockOffset = m.createdAtMs - Date.now();
    const pending = mine ? state.pending.filter((p) => p.id !== m.clientMsgId) : state.pending;
    const visible = core.host.visible();
    const unread = !mine && !visible ? state.unread + 1 : state.unread;
    core.set({ messages, pending, unread, ...(mine ? {} : { agentTyping: false }) });
    if (unread !== core.state().unread || !mine) core.host.setUnread(unread);
    core.host.emit('message', m);
    for (const fn of this.incoming) fn(m);
    if (visible) this.markRead();
  }

  /** Loads the page of history before the oldest message shown (HTTP, infinite scroll upwards). */
  async loadOlder(): Promise<void> {
    const { core } = this;
    const c = core.state().conversation;
    if (!c?.id || core.state().loadingOlder || !core.client()) return;
    const oldest = core.state().messages.find((m) => m.conversationId === c.id);
    const before = oldest ? Number(oldest.seq) : (c.lastSeq ?? 0) + 1;
    if (before <= 1) {
      core.set({ hasOlder: false });
      return;
    }
    core.set({ loadingOlder: true });
    try {
      const body = await core.api<{ messages: kefu.v1.IMessage[]; has_more: boolean }>(
        'GET',
        `/api/v1/conversations/${encodeURIComponent(c.id)}/messages?before_seq=${String(before)}&limit=30`,
      );
      let messages = core.state().messages;
      for (const m of body.messages)
        if (!m.hidden && !messages.some((x) => x.id === m.id)) messages = insertBySeq(messages, m);
      core.set({ messages, hasOlder: body.has_more });
    } catch (err) {
      core.host.emit('error', { code: 'history_failed', message: String(err) });
    } finally {
      core.set({ loadingOlder: false });
    }
  }

  /** Everything shown is read: tell the server (agents see 已读) and clear the badge. */
  markRead(): void {
    const { core } = this;
    // Only what the customer can see counts (the list also scrolls while the chat is hidden).
    if (!core.host.visible()) return;
    const state = core.state();
    const c = state.conversation;
    const last = state.messages[state.messages.length - 1];
    if (state.unread) {
      core.set({ unread: 0 });
      core.host.setUnread(0);
    }
    const client = core.client();
    if (!c?.id || !last || !client || client.status !== 'online') return;
    void client.markRead(c.id, Number(last.seq)).catch(() => undefined);
  }
}
