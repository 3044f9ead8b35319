// What the composer does (the message list: message-actions.ts; the forms: form-actions.ts): text, emoji,
// stickers, images, files, voice, products and orders, its panels, ending and restarting the chat. Each
// ends by scheduling a render.
import { FILE_EXTENSIONS, KEFU_STICKER_PACK, type ProductInput } from '@kefu/sdk-core';
import type { KefuChatController } from './controller.js';
import type { RecordOutcome } from './voice.js';

const TOOLS = ['emoji', 'stickers', 'more', 'orders'] as const;

/** Slide a finger this far up while holding the voice button to cancel (WeChat's gesture). */
const CANCEL_SLIDE_PX = 60;

export class ChatActions {
  private touchY = 0;

  constructor(private readonly c: KefuChatController) {}

  private get ui() {
    return this.c.ui;
  }

  private done(): void {
    this.c.schedule();
  }

  input(value: string): void {
    this.ui.text = value.slice(0, 5000);
    if (value) this.c.chat?.typing(true);
    this.done();
  }

  sendText(): void {
    const text = this.ui.text.trim();
    if (!text || !this.c.chat) return;
    this.c.chat.sendText(text);
    this.ui.text = '';
    this.c.stick = true;
    this.done();
  }

  addEmoji(emoji: string): void {
    this.ui.text += emoji;
    this.done();
  }

  tool(name: string): void {
    const next = TOOLS.find((x) => x === name) ?? '';
    // The emoji button opens and closes the whole panel (emoji and stickers are its tabs).
    const open = this.ui.tool === next || (next === 'emoji' && this.ui.tool === 'stickers');
    this.ui.tool = open ? '' : next;
    if (this.ui.tool) this.ui.mode = 'text';
    if (this.ui.tool === 'orders') this.loadOrders();
    this.done();
  }

  /** A tab of the emoji panel: emoji or the sticker pack. */
  tab(name: string): void {
    this.ui.tool = name === 'stickers' ? 'stickers' : 'emoji';
    this.done();
  }

  mode(): void {
    this.ui.mode = this.ui.mode === 'voice' ? 'text' : 'voice';
    this.ui.tool = '';
    this.done();
  }

  private loadOrders(): void {
    const chat = this.c.chat;
    if (!chat) return;
    this.ui.orders = { state: 'loading', list: [] };
    chat.orders().then(
      (list) => {
        this.ui.orders = { state: 'ready', list };
        this.done();
      },
      () => {
        this.ui.orders = { state: 'error', list: [] };
        this.done();
      },
    );
  }

  sendOrder(orderNo: string): void {
    const order = this.ui.orders.list.find((o) => o.order_no === orderNo);
    if (!order || !this.c.chat) return;
    this.c.chat.sendOrder(order);
    this.ui.tool = '';
    this.c.stick = true;
    this.done();
  }

  sendProduct(): void {
    const p = this.ui.product;
    if (!p || !this.c.chat) return;
    // productContent (sdk-core) coerces every field: the host's object is passed as it came.
    this.c.chat.sendProduct(p as unknown as ProductInput);
    this.ui.productSent = true;
    this.c.stick = true;
    this.done();
  }

  /** An image from the album or the camera (WeChat compresses it: `sizeType: compressed`). */
  chooseImage(source: string): void {
    const chat = this.c.chat;
    if (!chat || !this.c.wx.chooseMedia) return;
    this.ui.tool = '';
    this.done();
    this.c.wx.chooseMedia({
      count: 1,
      mediaType: ['image'],
      sourceType: [source === 'camera' ? 'camera' : 'album'],
      sizeType: ['compressed'],
      success: (res) => {
        this.c.stick = true;
        for (const f of res.tempFiles) void chat.sendImage(f.tempFilePath);
      },
      fail: (e) => {
        // Closing the picker is no error.
        if (/cancel/i.test(e.errMsg ?? '')) return;
        this.c.emit('error', { code: 'choose_failed', message: e.errMsg ?? 'chooseMedia failed' });
      },
    });
  }

  /** A sticker of the built-in pack, sent at once (its alt text in the customer's language). */
  sendSticker(id: string): void {
    const sticker = KEFU_STICKER_PACK.stickers.find((x) => x.id === id);
    if (!sticker || !this.c.chat) return;
    this.c.chat.sendSticker(KEFU_STICKER_PACK, sticker, this.c.locale);
    this.ui.tool = '';
    this.c.stick = true;
    this.done();
  }

  /**
   * A document from a WeChat chat (wx.chooseMessageFile), uploaded like images with progress; the server
   * checks its type and size. Its own name goes with it (WeChat's temp path has another).
   */
  chooseFile(): void {
    const chat = this.c.chat;
    const wx = this.c.wx;
    if (!chat || !wx.chooseMessageFile) return;
    this.ui.tool = '';
    this.done();
    wx.chooseMessageFile({
      count: 1,
      type: 'file',
      extension: [...FILE_EXTENSIONS],
      success: (res) => {
        this.c.stick = true;
        for (const f of res.tempFiles) void chat.sendFile(f.path, f.name, f.size);
      },
      fail: (e) => {
        if (/cancel/i.test(e.errMsg ?? '')) return;
        this.c.emit('error', { code: 'choose_failed', message: e.errMsg ?? 'chooseMessageFile failed' });
      },
    });
  }

  // Voice ----------------------------------------------------------------------------------------------

  voiceStart(y: number): void {
    if (!this.c.recorder || !this.c.chat) return;
    this.c.player?.stop();
    this.touchY = y;
    this.ui.recording = 'send';
    this.c.recorder.start();
    this.done();
  }

  voiceMove(y: number): void {
    if (!this.ui.recording) return;
    const next = this.touchY - y > CANCEL_SLIDE_PX ? 'cancel' : 'send';
    if (next === this.ui.recording) return;
    this.ui.recording = next;
    this.done();
  }

  voiceEnd(cancel: boolean): void {
    if (!this.ui.recording) return;
    this.c.recorder?.stop(cancel || this.ui.recording === 'cancel');
    this.ui.recording = '';
    this.done();
  }

  recorded(outcome: RecordOutcome): void {
    this.ui.recording = '';
    if (outcome.kind === 'clip') {
      this.c.stick = true;
      void this.c.chat?.sendVoice(outcome.file, outcome.durationMs);
    } else if (outcome.kind === 'too_short') this.c.toast(this.c.t.tooShort);
    else if (outcome.kind === 'error') {
      this.c.toast(this.c.t.recordFailed);
      this.c.emit('error', { code: 'record_failed', message: outcome.message });
    }
    this.done();
  }

  playVoice(key: string): void {
    const upload = this.c.item(key)?.['upload'];
    const chat = this.c.chat;
    if (typeof upload !== 'string' || !upload || !chat || !this.c.player) return;
    void this.c.player.toggle(key, () => chat.mediaUrl(upload, false));
  }

  /** Ends the chat after the customer confirms (WeChat's modal), as the web widget asks first. */
  endChat(): void {
    const chat = this.c.chat;
    if (!chat) return;
    const { t } = this.c;
    if (!this.c.wx.showModal) {
      chat.endChat();
      return;
    }
    this.c.wx.showModal({
      title: t.confirmEndTitle,
      content: t.confirmEndText,
      confirmText: t.endConfirm,
      cancelText: t.cancel,
      success: (res) => {
        if (res.confirm && this.c.chat === chat) chat.endChat();
      },
    });
  }

  newChat(): void {
    this.ui.closeRated = '';
    this.c.chat?.restart();
    this.c.stick = true;
    this.done();
  }
}
