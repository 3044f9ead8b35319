// The workbench's state and actions, independent of rendering: the conversation lists (HTTP), the open
// threads (history over HTTP + live messages over MQTT, merged by seq), drafts (quote, internal note), and
// the signed-in agent as the server currently sees them. Live events are handled in live.ts.
import type { kefu } from '@kefu/proto';
import { uploadWithProgress, type AgentClient } from '@kefu/sdk-web/agent';
import type { UploadKind, UploadResult } from '@kefu/sdk-core';
import { query, type Api } from './api.js';
import type { Locale, Translate } from './i18n/index.js';
import { ListReload } from './list-reload.js';
import { attachLive } from './live.js';
import { insertBySeq } from './messages.js';
import { watchMe } from './me.js';
import { setTitleCount } from './notify.js';
import { Store } from './store.js';
import type { ConversationSummary, Me } from './types.js';
import type { AgentStatus, Thread, View, WorkbenchState } from './workbench-state.js';

export type { AgentStatus, Thread, TransferIn, View, WorkbenchState } from './workbench-state.js';

/** First page when a conversation opens; older pages on scroll-up. */
export const FIRST_PAGE = 50;
export const OLDER_PAGE = 200;

export class Workbench {
  readonly store: Store<WorkbenchState>;
  /** One list request at a time for changes (list-reload.ts). */
  private readonly listReload = new ListReload(() => this.fetchList());
  /** Only the newest list request's answer is applied (they may finish out of order). */
  private listRequest = 0;
  private readonly off: (() => void)[] = [];
  /** First-page loads in flight, by conversation. */
  private readonly opening = new Map<string, Promise<void>>();
  /** The last seq this tab marked read, per conversation (the list may arrive before the mark lands). */
  private readonly readUpTo = new Map<string, number>();

  constructor(
    readonly api: Api,
    readonly client: AgentClient,
    me: Me,
    public t: Translate,
    /** The console's language (stickers carry their alt text in it). */
    public locale: Locale = 'zh-CN',
  ) {
    this.store = new Store<WorkbenchState>({
      me,
      view: 'mine',
      conversations: [],
      listLoading: false,
      others: {},
      threads: {},
      typing: {},
      customerRead: {},
      closeReasons: {},
      transfers: {},
      quotes: {},
      noteMode: false,
      uploads: [],
      connection: client.status,
      status: 'online',
    });
    this.off.push(attachLive(this), watchMe(this));
    document.addEventListener('visibilitychange', this.onVisible);
    this.off.push(() => {
      document.removeEventListener('visibilitychange', this.onVisible);
    });
  }

  get state(): WorkbenchState {
    return this.store.state;
  }

  /** The signed-in agent (their permissions as of the last check). */
  get me(): Me {
    return this.state.me;
  }

  can(permission: string): boolean {
    return this.state.me.perms.includes(permission);
  }

  dispose(): void {
    for (const off of this.off) off();
    this.listReload.stop();
  }

  totalUnread(): number {
    return this.state.conversations.reduce((n, c) => n + (c.status === 'closed' ? 0 : c.unread), 0);
  }

  updateTitle(): void {
    setTitleCount(this.t('appTitle'), this.totalUnread());
  }

  async setView(view: View): Promise<void> {
    this.store.set({ view });
    await this.loadList();
  }

  /** Fetches the list now (sign-in, another view); changes go through scheduleReload. */
  async loadList(): Promise<void> {
    await this.listReload.now();
  }

  private async fetchList(): Promise<void> {
    const view = this.state.view;
    const request = ++this.listRequest;
    this.store.set({ listLoading: true });
    try {
      const body = await this.api.get<{ conversations: ConversationSummary[] }>(
        `/agent/conversations${query({ view, limit: 500 })}`,
      );
      if (this.state.view !== view || request !== this.listRequest) return;
      const now = Date.now();
      const conversations = body.conversations.map((c) => {
        // The server may count a message this tab has just marked read (the mark is still on its way).
        const read = this.readUpTo.get(c.id) ?? 0;
        const seen = c.unread > 0 && (c.last_message?.seq ?? Infinity) <= read ? { ...c, unread: 0 } : c;
        return seen.waiting_ms > 0 ? { ...seen, waiting_from: now - seen.waiting_ms } : seen;
      });
      this.store.set({ conversations, listLoading: false, listError: undefined });
      this.updateTitle();
    } catch (err) {
      if (request === this.listRequest) this.store.set({ listLoading: false, listError: err });
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
    this.store.set({ selected: id, dialog: undefined });
    if (!id) return;
    // A queued customer of the agent's groups: who waits and how long, but no messages (404).
    if (this.summaryOf(id)?.access === 'queue') return;
    if (!this.state.threads[id]) {
      const loading = this.loadPage(id, 'latest');
      this.opening.set(id, loading);
      await loading;
      this.opening.delete(id);
    }
    this.markRead(id);
  }

  /** The conversation `by` rows above (−1) or below (+1) the selected one in the list shown. */
  async move(by: -1 | 1): Promise<void> {
    const list = this.state.conversations;
    if (list.length === 0) return;
    const at = list.findIndex((c) => c.id === this.state.selected);
    const next = at < 0 ? (by > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, at + by));
    const target = list[next];
    if (target && target.id !== this.state.selected) await this.select(target.id);
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
      this.setThread(id, { ...thread, loading: false, error: err });
    }
  }

  /** Loads older pages until the message is there (a quote's original), at most `pages` of them. */
  async findMessage(id: string, messageId: string, pages = 5): Promise<kefu.v1.IMessage | undefined> {
    for (let i = 0; ; i++) {
      const found = this.state.threads[id]?.messages.find((m) => m.id === messageId);
      if (found || i >= pages || !this.state.threads[id]?.hasOlder) return found;
      await this.loadPage(id, 'older');
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
      this.updateTitle();
    }
    if (last && this.client.status === 'online') {
      this.readUpTo.set(id, Math.max(this.readUpTo.get(id) ?? 0, Number(last.seq)));
      void this.client.markRead(id, Number(last.seq)).catch(() => undefined);
    }
  }

  /** Sends in the open conversation; a quoted reply names its original (Message.quote_message_id). */
  async send(
    id: string,
    content: kefu.v1.IContent,
    extra: { internalNote?: boolean; quoteMessageId?: string } = {},
  ): Promise<void> {
    await this.client.send(id, content, {
      ...(extra.internalNote ? { internalNote: true } : {}),
      ...(extra.quoteMessageId ? { quoteMessageId: extra.quoteMessageId } : {}),
    });
  }

  /** Uploads media into the conversation (POST /uploads, with progress). */
  async upload(
    id: string,
    kind: UploadKind,
    file: Blob,
    name: string,
    onProgress: (fraction: number) => void,
  ): Promise<UploadResult> {
    const url = `${this.api.server}/api/v1/uploads${query({ conversation_id: id, kind })}`;
    return uploadWithProgress(url, await this.api.token(), file, onProgress, name);
  }

  setQuote(id: string, messageId: string | undefined): void {
    const quotes = Object.fromEntries(Object.entries(this.state.quotes).filter(([k]) => k !== id));
    this.store.set({ quotes: messageId ? { ...quotes, [id]: messageId } : quotes });
  }

  setThread(id: string, thread: Thread): void {
    this.store.set({ threads: { ...this.state.threads, [id]: thread } });
  }

  private readonly onVisible = (): void => {
    const id = this.state.selected;
    if (id) this.markRead(id);
  };

  /**
   * Lists come from the server (filters, masking, unread counts): reloads after a change, at once for the
   * first, one request at a time for a burst (a transfer brings an event, a state and notices; a sign-in
   * one state per open chat).
   */
  scheduleReload(): void {
    this.listReload.soon();
  }

  /** How long the customer has been waiting for an answer (0: not waiting), for the list's timer. */
  static waitingLabel(c: ConversationSummary, now: number): number {
    if (c.waiting_ms <= 0) return 0;
    return Math.max(c.waiting_ms, now - (c.waiting_from ?? now));
  }
}
