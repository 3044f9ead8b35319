// What arrives over MQTT while the console is open: messages (threads, list previews, attention),
// recalls, transfers, conversation states (close reasons), typing and read marks, and the connection.
import { contentKind, kefu } from '@kefu/proto';
import { chime, desktopNotify } from './notify.js';
import { previewText, RECALLED_PREVIEW, storedPreview } from './preview.js';
import type { ConversationSummary } from './types.js';
import { insertBySeq } from './messages.js';
import type { Workbench } from './workbench.js';

const { Role } = kefu.v1;

/** Subscribes the workbench to its agent client; returns the unsubscribe. */
export function attachLive(wb: Workbench): () => void {
  const { client } = wb;
  // Chats this page already rang for (a transfer's event comes before its state).
  const announced = new Set<string>();
  const since = Date.now();
  const offs = [
    client.on('message', (m) => {
      onMessage(wb, m);
    }),
    client.on('conversation', (s) => {
      if (s.id && s.status === kefu.v1.ConversationStatus.CONVERSATION_STATUS_CLOSED && s.closeReason) {
        wb.store.set({ closeReasons: { ...wb.state.closeReasons, [s.id]: s.closeReason } });
      }
      if (isNewChat(wb, s, since, announced))
        attention(wb, s.id ?? '', wb.t('newChat', { name: s.customer?.name ?? '' }));
      wb.scheduleReload();
    }),
    client.on('event', (e) => {
      if (e.transferred) {
        announced.add(e.conversationId ?? '');
        onTransferred(wb, e.conversationId ?? '', e.transferred, Number(e.atMs) || Date.now());
      }
      wb.scheduleReload();
    }),
    client.on('typing', (x) => {
      if (x.from?.role !== Role.ROLE_CUSTOMER || !x.conversationId) return;
      const typing = { ...wb.state.typing, [x.conversationId]: x.typing ? Date.now() + 6_000 : 0 };
      wb.store.set({ typing });
    }),
    client.on('read', (r) => {
      if (r.reader?.role !== Role.ROLE_CUSTOMER || !r.conversationId) return;
      wb.store.set({
        customerRead: { ...wb.state.customerRead, [r.conversationId]: Number(r.readSeq) || 0 },
      });
    }),
    client.on('recalled', (r) => {
      onRecalled(wb, r);
    }),
    client.on('status', (s) => {
      wb.store.set({ connection: s });
      if (s === 'online') wb.scheduleReload();
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/**
 * A chat just assigned to this agent rings like a message (an agent may not look at the list): once, only
 * for assignments after this page loaded (not the chats a reload finds), and not for transfers in.
 */
function isNewChat(
  wb: Workbench,
  s: kefu.v1.IConversationState,
  since: number,
  announced: Set<string>,
): boolean {
  const id = s.id ?? '';
  if (!id || announced.has(id)) return false;
  if (s.status !== kefu.v1.ConversationStatus.CONVERSATION_STATUS_OPEN || s.agent?.uid !== wb.me.uid)
    return false;
  if ((s.assignedAtMs ?? 0) < since || wb.state.conversations.some((c) => c.id === id)) return false;
  announced.add(id);
  return true;
}

/** What a customer sends that waits for an answer (server: activity.ts AWAITS_ANSWER). */
const AWAITS_ANSWER = new Set(['text', 'sticker', 'image', 'voice', 'file', 'product', 'order']);

/**
 * The list's waiting timer: a customer message that wants an answer starts it (if not running), an
 * agent's answer ends it; internal notes and the rest change nothing.
 */
function waiting(
  c: ConversationSummary,
  m: kefu.v1.IMessage,
  fromCustomer: boolean,
): Pick<ConversationSummary, 'waiting_ms' | 'waiting_from'> {
  if (fromCustomer && AWAITS_ANSWER.has(contentKind(m.content) ?? ''))
    return {
      waiting_ms: Math.max(c.waiting_ms, 1),
      waiting_from: c.waiting_from ?? (Number(m.createdAtMs) || Date.now()),
    };
  if (!fromCustomer && m.sender?.role === Role.ROLE_AGENT && !m.internalNote)
    return { waiting_ms: 0, waiting_from: undefined };
  return { waiting_ms: c.waiting_ms, waiting_from: c.waiting_from };
}

/** The stored form of `last_message.sender_role` (server: c, a, bot, system). */
function senderRole(role: kefu.v1.Role | null | undefined): string {
  if (role === Role.ROLE_CUSTOMER) return 'c';
  if (role === Role.ROLE_BOT) return 'bot';
  if (role === Role.ROLE_SYSTEM) return 'system';
  return 'a';
}

function onMessage(wb: Workbench, m: kefu.v1.IMessage): void {
  const id = m.conversationId ?? '';
  const thread = wb.state.threads[id];
  if (thread) wb.setThread(id, { ...thread, messages: insertBySeq(thread.messages, m) });
  if (m.hidden) return;
  const fromCustomer = m.sender?.role === Role.ROLE_CUSTOMER;
  const summary = wb.state.conversations.find((c) => c.id === id);
  if (!summary) {
    wb.scheduleReload();
  } else if (Number(m.seq) > (summary.last_message?.seq ?? 0)) {
    // (A list loaded after the message was stored counts it already: not twice.)
    const visible = wb.state.selected === id && document.visibilityState === 'visible';
    const updated: ConversationSummary = {
      ...summary,
      unread: fromCustomer && !visible ? summary.unread + 1 : summary.unread,
      // The line the server stores for this message (preview.ts), so a reload shows the same.
      last_message: {
        seq: Number(m.seq),
        preview: storedPreview(m.content, m.internalNote === true),
        sender_role: senderRole(m.sender?.role),
        at: new Date(Number(m.createdAtMs)).toISOString(),
      },
      ...waiting(summary, m, fromCustomer),
    };
    wb.store.set({ conversations: [updated, ...wb.state.conversations.filter((c) => c.id !== id)] });
  }
  if (fromCustomer) {
    if (wb.state.selected === id) wb.markRead(id);
    if (wb.state.selected !== id || document.visibilityState !== 'visible') {
      const name = m.sender?.name || summary?.customer.name || '';
      attention(wb, id, wb.t('newMessage', { name, text: previewText(wb.t, m.content) }));
    }
    wb.updateTitle();
  }
}

/** A chime, and a desktop notification when the tab is hidden (clicking it opens the conversation). */
function attention(wb: Workbench, id: string, body: string): void {
  chime();
  desktopNotify(wb.t('appTitle'), body, id, () => void wb.select(id));
}

/** The recalled message leaves its thread and, if it was the last one, the list's preview. */
function onRecalled(wb: Workbench, r: kefu.v1.IMessageRecalled): void {
  const id = r.conversationId ?? '';
  const thread = wb.state.threads[id];
  if (thread) {
    const messages = thread.messages.map((m) =>
      m.id === r.messageId ? { ...m, recalled: true, content: null } : m,
    );
    wb.setThread(id, { ...thread, messages });
  }
  const seq = Number(r.seq) || Number(thread?.messages.find((m) => m.id === r.messageId)?.seq) || 0;
  const summary = wb.state.conversations.find((c) => c.id === id);
  if (seq > 0 && summary?.last_message?.seq === seq) {
    const last_message = { ...summary.last_message, preview: RECALLED_PREVIEW };
    wb.store.set({
      conversations: wb.state.conversations.map((c) => (c.id === id ? { ...c, last_message } : c)),
    });
  }
}

/**
 * A transfer: the receiving agent is told like for a new chat (chime, desktop notification) and sees the
 * note over the thread; the sending agent's list drops the chat at once (the reload confirms it).
 */
function onTransferred(
  wb: Workbench,
  id: string,
  t: kefu.v1.ConversationEvent.ITransferred,
  at: number,
): void {
  if (!id) return;
  const me = wb.me.uid;
  if (t.to?.uid === me) {
    const from = t.from?.name || t.from?.uid || '';
    wb.store.set({ transfers: { ...wb.state.transfers, [id]: { from, note: t.note ?? '', at } } });
    const customer = wb.summaryOf(id)?.customer.name ?? '';
    const line = t.note
      ? wb.t('transferredFromNote', { from, note: t.note })
      : wb.t('transferredFrom', { from });
    attention(wb, id, customer ? `${wb.t('transferredIn', { name: customer })} · ${line}` : line);
  } else if (t.from?.uid === me && wb.state.view === 'mine') {
    wb.store.set({ conversations: wb.state.conversations.filter((c) => c.id !== id) });
    wb.updateTitle();
  }
}
