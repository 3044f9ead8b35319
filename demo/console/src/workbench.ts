// The workbench's state and actions, independent of rendering: the conversation lists (HTTP), the open
// threads (history over HTTP + live messages over MQTT, merged by seq), typing and read state, and the
// attention signals for new customer messages.
import { kefu } from '@kefu/proto';
import type { AgentClient, AgentStatusName } from '@kefu/sdk-web/agent';
import { query, type Api } from './api.js';
import type { Translate } from './i18n/index.js';
import { chime, desktopNotify, setTitleCount } from './notify.js';
import { Store } from './store.js';
import type { ConversationSummary, Me } from './types.js';

const { Role } = kefu.v1;

export type View = 'mine' | 'queued' | 'all';
export type AgentStatus = AgentStatusName | 'offline';

export interface Thread {
  messages: kefu.v1.IMessage[];
  hasOlder: boolean;
  loading: boolean;
  error?: string;
}

export interface WorkbenchState {
  view: View;
  conversations: ConversationSummary[];
  listLoading: boolean;
  listError?: string;
  selected?: string;
  /** Conversations opened from elsewhere (the customer's earlier ones), not in the current list. */
  others: Record<string, ConversationSummary>;
  threads: Record<string, Thread>;
  /** Conversation id → until when the customer is shown typing. */
  typing: Record<string, number>;
  /** Conversation id → the customer's read position. */
  customerRead: Record<string, number>;
  connection: string;
  status: AgentStatus;
}

/** First page when a conversation opens; older pages on scroll-up. */
export const FIRST_PAGE = 50;
export const OLDER_PAGE = 200;

export function contentPreview(t: Translate, c: kefu.v1.IContent | null | undefined): string {
  if (!c) return t('recalled');
  if (c.text) return c.text.text ?? '';
  if (c.image) return `[${t('image')}]`;
  if (c.sticker) return `[${t('sticker')}]`;
  if (c.voice) return `[${t('voice')}]`;
  if (c.file) return `[${t('file')}] ${c.file.name ?? ''}`;
  if (c.product) return `[${t('product')}] ${c.product.title ?? ''}`;
  if (c.order) return `[${t('order')}] ${c.order.orderNo ?? ''}`;
  if (c.ratingInvite) return `[${t('ratingInvite')}]`;
  if (c.ratingResult) return `[${t('rating')}]`;
  if (c.system) return c.system.text ?? '';
  if (c.botReply) return c.botReply.text ?? '';
  if (c.call) return `[${t('call')}]`;
  return '';
}

function insertBySeq(list: kefu.v1.IMessage[], m: kefu.v1.IMessage): kefu.v1.IMessage[] {
  if (list.some((x) => x.id === m.id)) return list.map((x) => (x.id === m.id ? m : x));
  const seq = Number(m.seq);
  let i = list.length;
  while (i > 0 && Number(list[i - 1]?.seq) > seq) i -= 1;
  return [...list.slice(0, i), m, ...list.slice(i)];
}

export class Workbench {
  readonly store: Store<WorkbenchState>;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly off: (() => void)[] = [];
  /** First-page loads in flight, by conversation. */
  private readonly opening = new Map<string, Promise<void>>();

  constructor(
    readonly api: Api,
    readonly client: AgentClient,
    readonly me: Me,
    private readonly t: Translate,
  ) {
    this.store = new Store<WorkbenchState>({
      view: 'mine',
      conversations: [],
      listLoading: false,
      others: {},
      threads: {},
      typing: {},
      customerRead: {},
      connection: client.status,
      status: 'online',
    });
    this.off.push(
      client.on('message', (m) => {
        this.onMessage(m);
      }),
      client.on('conversation', () => {
        this.scheduleReload();
      }),
      client.on('event', () => {
        this.scheduleReload();
      }),
      client.on('typing', (x) => {
        if (x.from?.role !== Role.ROLE_CUSTOMER || !x.conversationId) return;
        const typing = { ...this.state.typing, [x.conversationId]: x.typing ? Date.now() + 6_000 : 0 };
        this.store.set({ typing });
      }),
      client.on('read', (r) => {
        if (r.reader?.role !== Role.ROLE_CUSTOMER || !r.conversationId) return;
        this.store.set({
          customerRead: { ...this.state.customerRead, [r.conversationId]: Number(r.readSeq) || 0 },
        });
      }),
      client.on('recalled', (r) => {
        const id = r.conversationId ?? '';
        const thread = this.state.threads[id];
        if (!thread) return;
        const messages = thread.messages.map((m) =>
          m.id === r.messageId ? { ...m, recalled: true, content: null } : m,
        );
        this.setThread(id, { ...thread, messages });
      }),
      client.on('status', (s) => {
        this.store.set({ connection: s });
        if (s === 'online') this.scheduleReload();
      }),
    );
    document.addEventListener('visibilitychange', this.onVisible);
  }

  get state(): WorkbenchState {
    return this.store.state;
  }

  dispose(): void {
    for (const off of this.off) off();
    document.removeEventListener('visibilitychange', this.onVisible);
    clearTimeout(this.reloadTimer);
  }

  totalUnread(): number {
    return this.state.conversations.reduce((n, c) => n + (c.status === 'closed' ? 0 : c.unread), 0);
  }

  async setView(view: View): Promise<void> {
    this.store.set({ view });
    await this.loadList();
  }

  async loadList(): Promise<void> {
    const view = this.state.view;
    this.store.set({ listLoading: true });
    try {
      const body = await this.api.get<{ conversations: ConversationSummary[] }>(
        `/agent/conversations${query({ view, limit: 500 })}`,
      );
      if (this.state.view !== view) return;
      const now = Date.now();
      const conversations = body.conversations.map((c) =>
        c.waiting_ms > 0 ? { ...c, waiting_from: now - c.waiting_ms } : c,
      );
      this.store.set({ conversations, listLoading: false, listError: undefined });
      setTitleCount(this.t('appTitle'), this.totalUnread());
    } catch (err) {
      this.store.set({ listLoading: false, listError: err instanceof Error ? err.message : String(err) });
    }
  }

  async setStatus(status: AgentStatus): Promise<void> {
    if (status === 'offline') {
      await this.client.stop();
    } else {
      if (this.client.status === 'stopped' || this.client.status === 'idle') await this.client.start();
      await this.client.setStatus(status);
    }
    this.store.set({ status });
  }

  summaryOf(id: string | undefined): ConversationSummary | undefined {
    if (!id) return undefined;
    return this.state.conversations.find((c) => c.id === id) ?? this.state.others[id];
  }

  async select(id: string | undefined, summary?: ConversationSummary): Promise<void> {
    if (summary && !this.state.conversations.some((c) => c.id === summary.id)) {
      this.store.set({ others: { ...this.state.others, [summary.id]: summary } });
    }
    this.store.set({ selected: id });
    if (!id) return;
    if (!this.state.threads[id]) {
      const loading = this.loadPage(id, 'latest');
      this.opening.set(id, loading);
      await loading;
      this.opening.delete(id);
    }
    this.markRead(id);
  }

  /**
   * Resolves once the conversation's first page has arrived (or failed): the side panels ask for their
   * data after it, so the thread the agent is waiting for does not queue behind them.
   */
  async threadShown(id: string): Promise<void> {
    await this.opening.get(id);
  }

  /** The newest page when a conversation opens, then older pages (scroll-up). */
  async loadPage(id: string, which: 'latest' | 'older'): Promise<void> {
    const thread = this.state.threads[id] ?? { messages: [], hasOlder: true, loading: false };
    if (thread.loading || (which === 'older' && !thread.hasOlder)) return;
    this.setThread(id, { ...thread, loading: true });
    const oldest = thread.messages[0];
    const before = which === 'older' && oldest ? Number(oldest.seq) : Number.MAX_SAFE_INTEGER;
    const limit = which === 'older' ? OLDER_PAGE : FIRST_PAGE;
    try {
      const body = await this.api.get<{ messages: kefu.v1.IMessage[]; has_more: boolean }>(
        `/conversations/${encodeURIComponent(id)}/messages${query({ before_seq: before, limit })}`,
      );
      const current = this.state.threads[id] ?? thread;
      let messages = current.messages;
      if (messages.length === 0) messages = body.messages;
      else for (const m of body.messages) messages = insertBySeq(messages, m);
      this.setThread(id, { messages, hasOlder: body.has_more, loading: false });
    } catch (err) {
      this.setThread(id, {
        ...thread,
        loading: false,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  /** Everything in the open thread is read when the tab is in front. */
  markRead(id: string): void {
    if (document.visibilityState !== 'visible' || this.state.selected !== id) return;
    const last = this.state.threads[id]?.messages.at(-1);
    const summary = this.state.conversations.find((c) => c.id === id);
    if (summary && summary.unread > 0) {
      this.store.set({
        conversations: this.state.conversations.map((c) => (c.id === id ? { ...c, unread: 0 } : c)),
      });
      setTitleCount(this.t('appTitle'), this.totalUnread());
    }
    if (last && this.client.status === 'online') {
      void this.client.markRead(id, Number(last.seq)).catch(() => undefined);
    }
  }

  async send(id: string, content: kefu.v1.IContent, internalNote = false): Promise<void> {
    await this.client.send(id, content, internalNote ? { internalNote } : {});
  }

  private onMessage(m: kefu.v1.IMessage): void {
    const id = m.conversationId ?? '';
    const thread = this.state.threads[id];
    if (thread) this.setThread(id, { ...thread, messages: insertBySeq(thread.messages, m) });
    const fromCustomer = m.sender?.role === Role.ROLE_CUSTOMER;
    const summary = this.state.conversations.find((c) => c.id === id);
    if (!summary) {
      this.scheduleReload();
    } else {
      const visible = this.state.selected === id && document.visibilityState === 'visible';
      const updated: ConversationSummary = {
        ...summary,
        unread: fromCustomer && !visible ? summary.unread + 1 : summary.unread,
        last_message: {
          seq: Number(m.seq),
          preview: contentPreview(this.t, m.content),
          sender_role: fromCustomer ? 'customer' : 'agent',
          at: new Date(Number(m.createdAtMs)).toISOString(),
        },
        // A customer message starts the wait (if not already waiting); an agent's answer ends it.
        waiting_ms: fromCustomer ? Math.max(summary.waiting_ms, 1) : 0,
        waiting_from: fromCustomer
          ? (summary.waiting_from ?? (Number(m.createdAtMs) || Date.now()))
          : undefined,
      };
      this.store.set({
        conversations: [updated, ...this.state.conversations.filter((c) => c.id !== id)],
      });
    }
    if (fromCustomer) {
      if (this.state.selected === id) this.markRead(id);
      if (this.state.selected !== id || document.visibilityState !== 'visible') {
        chime();
        const name = m.sender?.name || summary?.customer.name || '';
        desktopNotify(
          this.t('appTitle'),
          this.t('newMessage', { name, text: contentPreview(this.t, m.content) }),
          id,
          () => void this.select(id),
        );
      }
      setTitleCount(this.t('appTitle'), this.totalUnread());
    }
  }

  private setThread(id: string, thread: Thread): void {
    this.store.set({ threads: { ...this.state.threads, [id]: thread } });
  }

  private readonly onVisible = (): void => {
    const id = this.state.selected;
    if (id) this.markRead(id);
  };

  /** Lists come from the server (filters, masking, unread counts); coalesce bursts of events. */
  private scheduleReload(): void {
    clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      void this.loadList();
    }, 250);
  }

  /** How long the customer has been waiting for an answer (0: not waiting), for the list's timer. */
  static waitingLabel(c: ConversationSummary, now: number): number {
    if (c.waiting_ms <= 0) return 0;
    return Math.max(c.waiting_ms, now - (c.waiting_from ?? now));
  }
}
