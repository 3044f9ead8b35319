// kefu-chat's logic, apart from the Component() definition: runs one CustomerChat per configuration
// (server, channel, identity, routing), renders its state as a setData patch, and turns taps into chat
// actions. The WeChat API object comes in as an argument (the global `wx` at runtime, a fake in tests).
import { initialChatState, type ChatNotice, type ChatState, type CustomerChat } from '@kefu/sdk-core';
import { createChat } from '../../client.js';
import { strings, type Locale, type Strings } from './i18n.js';
import { MediaUrls } from './media.js';
import { diffView, type View } from './patch.js';
import { emptyDraft, type RatingDraft } from './rating.js';
import { checkIdentity, currentPage, toProduct, type KefuChatProps } from './properties.js';
import { initialUi, screenView, type UiState } from './screen.js';
import { nextAnchor } from './scroll.js';
import { ChatActions } from './actions.js';
import { FormActions } from './form-actions.js';
import { MessageActions } from './message-actions.js';
import type { ItemContext } from './view.js';
import { VoicePlayer, VoiceRecorder } from './voice.js';

export type WxApi = typeof wx;

/** The component instance, as the controller uses it. */
export interface ComponentHost {
  setData(patch: Record<string, unknown>): void;
  triggerEvent(name: string, detail?: unknown): void;
}

const IDLE: ChatState<string> = initialChatState();

export class KefuChatController {
  chat: CustomerChat<string> | undefined;
  ui: UiState = initialUi();
  readonly drafts = new Map<string, RatingDraft>();
  t: Strings = strings('zh-CN');
  locale: Locale = 'zh-CN';
  /** At the bottom of the list: new messages scroll into view. */
  stick = true;
  /** The list's visible height (measured once it is laid out). */
  listHeight = 0;
  readonly actions: ChatActions;
  readonly forms: FormActions;
  readonly messages: MessageActions;
  readonly player: VoicePlayer | undefined;
  readonly recorder: VoiceRecorder | undefined;
  private off: (() => void) | undefined;
  private running = '';
  private last: View = {};
  private timer: unknown;
  private attached = false;
  private shown = true;
  private noticeAt = 0;
  private readonly media: MediaUrls;

  constructor(
    private readonly host: ComponentHost,
    readonly wx: WxApi,
  ) {
    this.media = new MediaUrls(
      (id, thumb) => (this.chat ? this.chat.mediaUrl(id, thumb) : Promise.reject(new Error('no chat'))),
      () => {
        this.schedule();
      },
    );
    this.actions = new ChatActions(this);
    this.forms = new FormActions(this);
    this.messages = new MessageActions(this);
    const recorder = wx.getRecorderManager?.();
    const audio = wx.createInnerAudioContext?.bind(wx);
    this.recorder = recorder
      ? new VoiceRecorder(recorder, (outcome) => {
          this.actions.recorded(outcome);
        })
      : undefined;
    this.player = audio
      ? new VoicePlayer(
          audio,
          () => {
            this.schedule();
          },
          (message) => {
            this.toast(this.t.playFailed);
            this.emit('error', { code: 'play_failed', message });
          },
        )
      : undefined;
  }

  /** What the WXML shows whatever the chat does (set once per locale). */
  staticData(): Record<string, unknown> {
    return { t: this.t, canVoice: this.recorder !== undefined };
  }

  emit(name: string, detail: unknown): void {
    this.host.triggerEvent(name, detail);
  }

  toast(title: string): void {
    this.wx.showToast?.({ title, icon: 'none' });
  }

  attach(props: KefuChatProps): void {
    this.attached = true;
    this.setLocale(props.locale);
    this.setProduct(props.product);
    this.configure(props);
  }

  detach(): void {
    this.attached = false;
    this.recorder?.stop(true);
    this.player?.destroy();
    this.stopChat();
    this.running = '';
  }

  show(visible: boolean): void {
    this.shown = visible;
    if (visible) this.chat?.markRead();
    else this.player?.stop();
  }

  setLocale(locale: unknown): void {
    const next: Locale = locale === 'en' ? 'en' : 'zh-CN';
    if (next === this.locale && this.last['items']) return;
    this.locale = next;
    this.t = strings(next);
    this.host.setData(this.staticData());
    this.schedule();
  }

  setProduct(product: unknown): void {
    const p = toProduct(product);
    if (p?.id !== this.ui.product?.id) this.ui.productSent = false;
    this.ui.product = p;
    this.schedule();
  }

  /** Starts a chat for this configuration, unless one runs for it already. */
  configure(props: KefuChatProps): void {
    if (!this.attached) return;
    const key = JSON.stringify([props.server, props.channel, props.identity, props.groupId, props.agentUid]);
    if (key === this.running) return;
    this.running = key;
    this.stopChat();
    this.ui = { ...initialUi(), product: this.ui.product, productSent: this.ui.productSent };
    this.drafts.clear();
    this.media.clear();
    // uni-app and Taro may set the properties after attaching: wait for a server.
    if (!props.server) {
      this.schedule();
      return;
    }
    const identity = checkIdentity(props.identity);
    try {
      if (identity && 'error' in identity) throw new TypeError(`kefu: ${identity.error}`);
      this.chat = createChat({
        platform: this.wx,
        server: props.server,
        channel: props.channel || 'miniprogram',
        ...(props.groupId ? { groupId: props.groupId } : {}),
        ...(props.agentUid ? { agentUid: props.agentUid } : {}),
        identity: () => Promise.resolve(identity),
        attributes: () => ({}),
        page: currentPage,
        visible: () => this.attached && this.shown,
        emit: (event, ...args) => {
          this.emit(event, args[0]);
        },
        setUnread: (count) => {
          this.emit('unread', { count });
        },
        setActive: () => undefined,
      });
    } catch (err) {
      const message = err instanceof Error ? err.message.replace(/^kefu: /, '') : String(err);
      this.ui.configError = message;
      this.schedule();
      this.emit('error', { code: 'bad_config', message });
      return;
    }
    const chat = this.chat;
    this.off = chat.subscribe(() => {
      this.schedule();
    });
    this.schedule();
    chat.open().then(
      () => {
        if (this.chat === chat) chat.markRead();
      },
      (err: unknown) => {
        this.emit('error', {
          code: 'unavailable',
          message: err instanceof Error ? err.message : String(err),
        });
      },
    );
  }

  private stopChat(): void {
    this.off?.();
    this.off = undefined;
    const chat = this.chat;
    this.chat = undefined;
    void chat?.stop();
  }

  /** The list scrolled: near the bottom, new messages follow; away from it, they do not pull it down. */
  scrolled(top: number, height: number): void {
    if (this.listHeight > 0) this.stick = height - top - this.listHeight < 80;
  }

  /** Renders on the next turn: the chat changes its state several times per event. */
  schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render();
    }, 0);
  }

  private context(): ItemContext {
    return {
      t: this.t,
      locale: this.locale,
      media: (id, thumb) => this.media.get(id, thumb),
      absolute: (url) => this.chat?.absolute(url) ?? url,
      playing: this.player?.playing ?? '',
      drafts: this.drafts,
    };
  }

  draft(id: string): RatingDraft {
    let d = this.drafts.get(id);
    if (!d) {
      d = emptyDraft();
      this.drafts.set(id, d);
    }
    return d;
  }

  /** The item of the last render with this key. */
  item(key: string): View | undefined {
    const items = (this.last['items'] ?? []) as View[];
    return items.find((i) => i['key'] === key);
  }

  /** A notice of the chat (a refused recall) as a toast, once. */
  private notice(n: ChatNotice | undefined): void {
    if (!n || n.at === this.noticeAt) return;
    this.noticeAt = n.at;
    if (n.code === 'recall_failed') this.toast(this.t.recallFailed);
  }

  private render(): void {
    if (!this.attached) return;
    const next = screenView(this.chat?.state ?? IDLE, this.ui, this.context(), Date.now());
    next['anchor'] = this.ui.anchor = nextAnchor(
      (this.last['items'] ?? []) as View[],
      next['items'] as View[],
      this.stick,
      this.ui.anchor,
    );
    this.notice(this.chat?.state.notice);
    const patch = diffView(this.last, next);
    this.last = next;
    if (Object.keys(patch).length > 0) this.host.setData(patch);
  }
}
