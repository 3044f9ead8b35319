// A customer chat UI's state and actions, independent of rendering and of the platform: ChatConnection
// (session, conversation, messages) plus what the customer does — send text, stickers, cards, images,
// voice clips and files (quoting a message), recall, rate, end or restart the chat, leave a message. The
// web widget's panel and the mini-program component both draw its state (state.ts).
import { kefu } from '@kefu/proto';
import {
  orderContent,
  productContent,
  type OrderInput,
  type ProductInput,
  type UploadKind,
} from './cards.js';
import { ChatConnection } from './chat-connection.js';
import type { ChatHost, ChatPlatform, OrderSummary, PendingItem } from './state.js';
import { stickerContent, type StickerDef, type StickerPack } from './stickers.js';
import type { CustomerLocale } from './strings.js';
import { retryUpload, uploadAndSend, type UploadDeps, type UploadMeta } from './upload-flow.js';

export {
  initialChatState,
  type ChatEvents,
  type ChatHost,
  type ChatNotice,
  type ChatPlatform,
  type ChatState,
  type ChatStatus,
  type OrderSummary,
  type PendingItem,
} from './state.js';

const { ConversationStatus } = kefu.v1;

/** A recall is answered by a `recalled` event, or by an error within this long. */
const RECALL_ANSWER_MS = 15_000;

export class CustomerChat<F = unknown> extends ChatConnection<F> {
  /** Sends waiting for the conversation to exist. */
  private waiting: { content: kefu.v1.IContent; quoteMessageId?: string }[] = [];
  private lastTypingSent = 0;
  /** Recalls asked for and not answered yet: message id → when. */
  private readonly recalling = new Map<string, number>();
  private readonly uploads: UploadDeps<F>;

  constructor(host: ChatHost, platform: ChatPlatform<F>, base = 'kefu:') {
    super(host, platform, base);
    this.uploads = {
      server: this.server,
      platform,
      signed: this.signed,
      pending: () => this.state.pending,
      setPending: (pending) => {
        this.set({ pending });
      },
      target: async () => {
        if (!this.state.conversation?.id) await this.open();
        const conversationId = this.state.conversation?.id;
        if (!conversationId) throw new Error('no conversation');
        return { conversationId, token: (await this.session()).token };
      },
      send: (content, quote) => {
        this.send(content, quote);
      },
      failed: (message) => {
        this.host.emit('error', { code: 'upload_failed', message });
      },
    };
  }

  /** Sends any content (durably: outbox), opening a conversation first when there is none. */
  send(content: kefu.v1.IContent, quoteMessageId?: string): void {
    const id = this.state.conversation?.id;
    const closed = this.state.conversation?.status === ConversationStatus.CONVERSATION_STATUS_CLOSED;
    if (!id || closed) {
      this.waiting.push({ content, ...(quoteMessageId ? { quoteMessageId } : {}) });
      void this.open();
      return;
    }
    void this.sendNow(id, content, quoteMessageId);
  }

  private async sendNow(conversationId: string, content: kefu.v1.IContent, quote?: string): Promise<void> {
    const client = this.client;
    if (!client) return;
    const id = await client.send(conversationId, content, quote ? { quoteMessageId: quote } : {});
    if (
      !this.state.messages.some((m) => m.clientMsgId === id) &&
      !this.state.pending.some((p) => p.id === id)
    ) {
      const item: PendingItem<F> = { id, content, state: 'sending', createdAt: Date.now() };
      if (quote) item.quoteMessageId = quote;
      this.set({ pending: [...this.state.pending, item] });
    }
    this.typing(false);
  }

  protected flushWaiting(conversationId: string): void {
    const list = this.waiting;
    this.waiting = [];
    for (const w of list) void this.sendNow(conversationId, w.content, w.quoteMessageId);
  }

  /** The next message sent from the composer quotes `messageId` (引用); undefined cancels. */
  quote(messageId: string | undefined): void {
    this.set({ quoteId: messageId });
  }

  /** The quote the composer shows, used up by the message that carries it. */
  private takeQuote(): string | undefined {
    const id = this.state.quoteId;
    if (id) this.set({ quoteId: undefined });
    return id;
  }

  sendText(text: string): void {
    const t = typeof text === 'string' ? text.trim() : '';
    if (t) this.send({ text: { text: t.slice(0, 5000) } }, this.takeQuote());
  }

  /** A sticker of a pack (stickers.ts), its alt text in the UI's language. */
  sendSticker(pack: StickerPack, sticker: StickerDef, locale: CustomerLocale = 'zh-CN'): void {
    this.send(stickerContent(this.server, pack, sticker, locale), this.takeQuote());
  }
  sendProduct(p: ProductInput): void {
    this.send(productContent(p));
  }
  sendOrder(o: OrderInput): void {
    this.send(orderContent(o));
  }

  /** Prepares (downscales) and uploads an image with progress, then sends the image message. */
  sendImage(file: F): Promise<void> {
    return this.upload('image', file, {});
  }

  /** Uploads a recorded clip with progress, then sends the voice message (server-measured duration). */
  sendVoice(file: F, durationMs: number): Promise<void> {
    return this.upload('voice', file, { durationMs });
  }

  /** Uploads a document (PDF, Office, zip…; the server checks type and size), then sends a file card. */
  sendFile(file: F, name: string, size = 0): Promise<void> {
    return this.upload('file', file, { name, size });
  }

  private upload(kind: UploadKind, file: F, meta: UploadMeta): Promise<void> {
    const id = `up-${String(Date.now())}-${String(Math.random()).slice(2, 8)}`;
    const quote = this.takeQuote();
    return uploadAndSend(this.uploads, kind, file, id, quote ? { ...meta, quoteMessageId: quote } : meta);
  }

  /** Uploads a failed item again. */
  retry(id: string): void {
    const item = this.state.pending.find((p) => p.id === id);
    if (item) void retryUpload(this.uploads, item);
  }

  /** Drops a failed upload from the list. */
  discard(id: string): void {
    const item = this.state.pending.find((p) => p.id === id);
    if (item?.state !== 'failed') return;
    if (item.preview !== undefined) this.platform.releasePreview?.(item.preview);
    this.set({ pending: this.state.pending.filter((p) => p !== item) });
  }

  /** Takes back one of the customer's own messages (撤回); the server allows it within its window. */
  recall(messageId: string): void {
    const id = this.state.conversation?.id;
    const client = this.client;
    if (!id || !client) return;
    this.recalling.set(messageId, Date.now());
    client.recall(id, messageId).catch(() => {
      this.refused('conflict');
    });
  }

  protected recalled(messageId: string): void {
    this.recalling.delete(messageId);
  }

  /** A refused recall (its window passed, or it was not the customer's) shows a notice. */
  protected refused(code: string): void {
    const now = Date.now();
    const asked = [...this.recalling.values()].some((at) => now - at < RECALL_ANSWER_MS);
    this.recalling.clear();
    if (asked && (code === 'conflict' || code === 'forbidden'))
      this.set({ notice: { code: 'recall_failed', at: now } });
  }

  typing(on = true): void {
    const id = this.state.conversation?.id;
    if (!id || !this.client || this.client.status !== 'online') return;
    const now = Date.now();
    if (on && now - this.lastTypingSent < 3_000) return;
    this.lastTypingSent = on ? now : 0;
    void this.client.typing(id, on).catch(() => undefined);
  }

  rate(result: kefu.v1.IRatingResult): void {
    const c = this.state.conversation;
    if (!c?.id || !result.inviteId) return;
    void this.client?.send(c.id, { ratingResult: result });
    // Any rating of this chat answers the at-close one too (the server says so in its next state).
    this.set({
      rated: [...this.state.rated, result.inviteId],
      closeInvite: undefined,
      closeRating: undefined,
    });
  }

  endChat(): void {
    const c = this.state.conversation;
    if (c?.id && this.client) void this.client.close(c.id, 'customer ended the chat').catch(() => undefined);
  }

  /** A new conversation after the last one closed. */
  restart(): void {
    this.set({
      conversation: undefined,
      messages: [],
      closeInvite: undefined,
      closeRating: undefined,
      hasOlder: false,
    });
    void this.open();
  }

  async orders(): Promise<OrderSummary[]> {
    const body = await this.api<{ orders: OrderSummary[] }>('GET', '/api/v1/sdk/mall/orders?limit=10');
    return body.orders;
  }

  async leaveMessage(form: {
    name?: string;
    phone?: string;
    email?: string;
    content: string;
  }): Promise<void> {
    const page = this.host.page();
    await this.api('POST', '/api/v1/sdk/leave-messages', {
      ...form,
      ...(this.state.conversation?.id ? { conversation_id: this.state.conversation.id } : {}),
      page_url: page.url.slice(0, 2048),
      page_title: page.title.slice(0, 200),
    });
  }
}
