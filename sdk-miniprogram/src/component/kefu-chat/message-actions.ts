// What taps and long presses on the message list do: the long-press menu (引用, 复制, 撤回 within the
// server's recall window), quotes (cancel, jump to the original), images (preview), files (download and
// open in WeChat's viewer), cards and links (the host decides where they lead), failed uploads (retry,
// remove), bot suggestions, "keep waiting" and older pages.
import { kefu } from '@kefu/proto';
import { canRecall } from '@kefu/sdk-core';
import type { KefuChatController } from './controller.js';
import type { View } from './patch.js';
import { anchorOf } from './view.js';

/** A string field of a rendered item ('' when absent). */
function textOf(item: View | undefined, key: string): string {
  const v = item?.[key];
  return typeof v === 'string' ? v : '';
}

/** What wx.openDocument shows (WeChat's documented types); anything else goes to the host. */
const DOCUMENT_TYPES = new Set(['doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'pdf']);

export class MessageActions {
  constructor(private readonly c: KefuChatController) {}

  /** The long-press menu of a stored message (WeChat's action sheet). */
  press(key: string): void {
    const chat = this.c.chat;
    const m = chat?.state.messages.find((x) => x.id === key);
    const wx = this.c.wx;
    if (!chat || !m || m.recalled || !wx.showActionSheet) return;
    const { t } = this.c;
    const closed = chat.state.conversation?.status === kefu.v1.ConversationStatus.CONVERSATION_STATUS_CLOSED;
    const items: { label: string; run: () => void }[] = [];
    // A quote belongs to this chat: none once it ended (the next message starts a new one).
    if (!closed)
      items.push({
        label: t.quote,
        run: () => {
          chat.quote(key);
        },
      });
    const text = m.content?.text?.text ?? m.content?.botReply?.text ?? '';
    if (text)
      items.push({
        label: t.copy,
        run: () => {
          this.c.wx.setClipboardData?.({ data: text });
        },
      });
    // Offered while the server would still take it (sdk-core keeps a margin for the trip).
    if (canRecall(m, chat.serverNow()))
      items.push({
        label: t.recall,
        run: () => {
          chat.recall(key);
        },
      });
    if (items.length === 0) return;
    wx.showActionSheet({
      itemList: items.map((i) => i.label),
      success: (res) => {
        items[res.tapIndex]?.run();
      },
    });
  }

  cancelQuote(): void {
    this.c.chat?.quote(undefined);
  }

  /** Scrolls to the quoted message when it is loaded. */
  jumpTo(id: string): void {
    if (!id || !this.c.item(id)) return;
    this.c.stick = false;
    this.c.ui.anchor = anchorOf(id);
    this.c.schedule();
  }

  retry(key: string): void {
    this.c.chat?.retry(key);
  }

  remove(key: string): void {
    this.c.chat?.discard(key);
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

  /** A file: downloaded and opened in WeChat's viewer when it can show it; else the host gets the link. */
  openFile(key: string): void {
    const item = this.c.item(key);
    const upload = textOf(item, 'upload');
    const chat = this.c.chat;
    if (!upload || !chat) return;
    const file = (item?.['file'] ?? {}) as View;
    const name = textOf(file, 'name');
    const ext = name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '';
    const failed = (message: string): void => {
      this.c.toast(this.c.t.openFailed);
      this.c.emit('error', { code: 'open_failed', message });
    };
    chat.mediaUrl(upload, false).then(
      (url) => {
        const wx = this.c.wx;
        if (!DOCUMENT_TYPES.has(ext) || !wx.downloadFile || !wx.openDocument) {
          this.c.emit('navigate', { kind: 'link', url, name });
          return;
        }
        wx.downloadFile({
          url,
          success: (res) => {
            if (res.statusCode !== 200) {
              failed(`download answered ${String(res.statusCode)}`);
              return;
            }
            wx.openDocument?.({
              filePath: res.tempFilePath,
              fileType: ext,
              showMenu: true,
              fail: (e) => {
                failed(e.errMsg ?? 'openDocument failed');
              },
            });
          },
          fail: (e) => {
            failed(e.errMsg ?? 'downloadFile failed');
          },
        });
      },
      (err: unknown) => {
        failed(err instanceof Error ? err.message : String(err));
      },
    );
  }

  /** Product and order cards, bot sources: the host decides where they lead. */
  navigate(key: string, kind: string, url: string): void {
    if (kind === 'link') {
      if (url) this.c.emit('navigate', { kind: 'link', url });
      return;
    }
    if (kind === 'file') {
      this.openFile(key);
      return;
    }
    const card = (this.c.item(key)?.['card'] ?? null) as View | null;
    if (!card) return;
    if (kind === 'product') this.c.emit('navigate', { kind: 'product', id: card['id'], url: card['url'] });
    else if (kind === 'order') this.c.emit('navigate', { kind: 'order', id: card['no'], url: card['url'] });
  }

  /** A bot suggestion is a plain question: it does not use up a quote the composer shows. */
  suggestion(text: string): void {
    this.c.chat?.send({ text: { text } });
    this.c.stick = true;
  }

  keepWaiting(): void {
    this.c.chat?.send({ text: { text: this.c.t.keepWaiting } });
  }

  loadOlder(): void {
    const chat = this.c.chat;
    if (chat?.state.hasOlder && !chat.state.loadingOlder) void chat.loadOlder();
  }
}
