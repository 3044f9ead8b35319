// What the customer's taps and typing do, apart from the forms (form-actions.ts): sending text, emoji,
// images, voice, products and orders, playing clips, cards and links, the composer's panels. Each ends by
// scheduling a render.
import type { ProductInput } from '@kefu/sdk-core';
import type { KefuChatController } from './controller.js';
import type { View } from './patch.js';
import type { RecordOutcome } from './voice.js';

/** A string field of a rendered item ('' when absent). */
function textOf(item: View | undefined, key: string): string {
  const v = item?.[key];
  return typeof v === 'string' ? v : '';
}

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
    const next = name === 'emoji' || name === 'more' || name === 'orders' ? name : '';
    this.ui.tool = this.ui.tool === next ? '' : next;
    if (this.ui.tool) this.ui.mode = 'text';
    if (this.ui.tool === 'orders') this.loadOrders();
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

  retry(id: string): void {
    this.c.chat?.retry(id);
  }

  previewImage(key: string): void {
    const item = this.c.item(key);
    const upload = textOf(item, 'upload');
    const shown = textOf(item, 'src');
    const chat = this.c.chat;
    const open = (url: string): void => {
      if (url) this.c.wx.previewImage?.({ urls: [url], current: url });
    };
    if (!upload || !chat) open(shown);
    else chat.mediaUrl(upload, false).then(open, () => undefined);
  }

  /** Product and order cards, bot sources and files: the host decides where they lead. */
  navigate(key: string, kind: string, url: string): void {
    if (kind === 'link') {
      if (url) this.c.emit('navigate', { kind: 'link', url });
      return;
    }
    const item = this.c.item(key);
    if (kind === 'file') {
      const upload = textOf(item, 'upload');
      if (upload)
        this.c.chat?.mediaUrl(upload, false).then(
          (signed) => {
            this.c.emit('navigate', { kind: 'link', url: signed });
          },
          () => undefined,
        );
      return;
    }
    const card = (item?.['card'] ?? null) as View | null;
    if (!card) return;
    if (kind === 'product') this.c.emit('navigate', { kind: 'product', id: card['id'], url: card['url'] });
    else if (kind === 'order') this.c.emit('navigate', { kind: 'order', id: card['no'], url: card['url'] });
  }

  suggestion(text: string): void {
    this.c.chat?.sendText(text);
    this.c.stick = true;
  }

  keepWaiting(): void {
    this.c.chat?.sendText(this.c.t.keepWaiting);
  }

  loadOlder(): void {
    const chat = this.c.chat;
    if (chat?.state.hasOlder && !chat.state.loadingOlder) void chat.loadOlder();
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
    const item = this.c.item(key);
    const upload = textOf(item, 'upload');
    const chat = this.c.chat;
    if (!upload || !chat || !this.c.player) return;
    void this.c.player.toggle(key, () => chat.mediaUrl(upload, false));
  }

  endChat(): void {
    this.c.chat?.endChat();
  }

  newChat(): void {
    this.ui.closeRated = '';
    this.c.chat?.restart();
    this.c.stick = true;
    this.done();
  }
}
