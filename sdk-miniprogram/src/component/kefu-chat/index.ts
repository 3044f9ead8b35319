// <kefu-chat>: the customer chat as one native custom component (WXML/WXSS/JS), usable from native pages,
// uni-app (wxcomponents) and Taro (usingComponents). Plain Component() with the global `wx`: no framework
// code. Properties, events and usage: sdk-miniprogram/README.md.
import { kefu } from '@kefu/proto';
import { KefuChatController } from './controller.js';
import type { KefuChatProps } from './properties.js';
import { EMOJI } from './emoji.js';

interface Instance extends KefuComponentInstance {
  readonly properties: KefuChatProps & Record<string, unknown>;
  /** Set in `attached`, dropped in `detached` (WeChat keeps custom fields on the instance). */
  kefu?: KefuChatController;
}

/** dataset values come back as strings or numbers depending on the runtime: read them as strings. */
function ds(e: KefuWxEvent, name: string): string {
  const v = e.currentTarget.dataset[name];
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '';
}

function value(e: KefuWxEvent): string {
  const v = e.detail['value'];
  return typeof v === 'string' ? v : '';
}

function touchY(e: KefuWxEvent): number {
  const t = e.touches?.[0] ?? e.changedTouches?.[0];
  return t?.clientY ?? t?.pageY ?? 0;
}

/** Runs an action on the controller; a tap on a detached component does nothing. */
function on(fn: (c: KefuChatController, e: KefuWxEvent) => void) {
  return function (this: Instance, e: KefuWxEvent): void {
    if (this.kefu) fn(this.kefu, e);
  };
}

const restart = function (this: Instance): void {
  this.kefu?.configure(this.properties);
};

Component<Instance>({
  options: { styleIsolation: 'isolated', multipleSlots: false },
  properties: {
    server: { type: String, value: '' },
    locale: { type: String, value: 'zh-CN' },
    channel: { type: String, value: 'miniprogram' },
    identity: { type: Object, value: null },
    groupId: { type: String, value: '' },
    agentUid: { type: String, value: '' },
    product: { type: Object, value: null },
  },
  data: { t: {}, emoji: EMOJI, canVoice: false, items: [] },
  observers: {
    'server, channel, identity, groupId, agentUid': restart,
    locale: function (this: Instance) {
      this.kefu?.setLocale(this.properties.locale);
    },
    product: function (this: Instance) {
      this.kefu?.setProduct(this.properties.product);
    },
  },
  lifetimes: {
    attached(this: Instance) {
      this.kefu = new KefuChatController(this, wx);
      this.kefu.attach(this.properties);
    },
    ready(this: Instance) {
      const query = this.createSelectorQuery();
      query.select('.kc-list').boundingClientRect((rect) => {
        if (this.kefu && rect) this.kefu.listHeight = rect.height;
      });
      query.exec();
    },
    detached(this: Instance) {
      this.kefu?.detach();
      this.kefu = undefined;
    },
  },
  // Read receipts and unread counts follow what the customer can see: the page being shown.
  pageLifetimes: {
    show(this: Instance) {
      this.kefu?.show(true);
    },
    hide(this: Instance) {
      this.kefu?.show(false);
    },
  },
  methods: {
    onInput: on((c, e) => {
      c.actions.input(value(e));
    }),
    onSend: on((c) => {
      c.actions.sendText();
    }),
    onEmoji: on((c, e) => {
      c.actions.addEmoji(ds(e, 'emoji'));
    }),
    onTool: on((c, e) => {
      c.actions.tool(ds(e, 'tool'));
    }),
    onTab: on((c, e) => {
      c.actions.tab(ds(e, 'tool'));
    }),
    onMode: on((c) => {
      c.actions.mode();
    }),
    onImage: on((c, e) => {
      c.actions.chooseImage(ds(e, 'source'));
    }),
    onFile: on((c) => {
      c.actions.chooseFile();
    }),
    onSticker: on((c, e) => {
      c.actions.sendSticker(ds(e, 'id'));
    }),
    onPress: on((c, e) => {
      c.messages.press(ds(e, 'key'));
    }),
    onQuoteCancel: on((c) => {
      c.messages.cancelQuote();
    }),
    onQuoteJump: on((c, e) => {
      c.messages.jumpTo(ds(e, 'id'));
    }),
    onRetry: on((c, e) => {
      c.messages.retry(ds(e, 'key'));
    }),
    onRemove: on((c, e) => {
      c.messages.remove(ds(e, 'key'));
    }),
    onPreview: on((c, e) => {
      c.messages.previewImage(ds(e, 'key'));
    }),
    onCard: on((c, e) => {
      c.messages.navigate(ds(e, 'key'), ds(e, 'kind'), ds(e, 'url'));
    }),
    onSuggestion: on((c, e) => {
      c.messages.suggestion(ds(e, 'text'));
    }),
    onKeepWaiting: on((c) => {
      c.messages.keepWaiting();
    }),
    onOlder: on((c) => {
      c.messages.loadOlder();
    }),
    onScroll: on((c, e) => {
      const { scrollTop, scrollHeight } = e.detail as { scrollTop?: number; scrollHeight?: number };
      if (typeof scrollTop === 'number' && typeof scrollHeight === 'number')
        c.scrolled(scrollTop, scrollHeight);
    }),
    onBottom: on((c) => {
      c.stick = true;
      c.chat?.markRead();
    }),
    onProduct: on((c) => {
      c.actions.sendProduct();
    }),
    onOrder: on((c, e) => {
      c.actions.sendOrder(ds(e, 'no'));
    }),
    onRateChoose: on((c, e) => {
      c.forms.rateChoose(ds(e, 'id'), Number(ds(e, 'n')));
    }),
    onRateTag: on((c, e) => {
      c.forms.rateTag(ds(e, 'id'), ds(e, 'tag'));
    }),
    onRateSolved: on((c, e) => {
      c.forms.rateSolved(
        ds(e, 'id'),
        ds(e, 'solved') === 'yes' ? kefu.v1.Solved.SOLVED_YES : kefu.v1.Solved.SOLVED_NO,
      );
    }),
    onRateComment: on((c, e) => {
      c.forms.rateComment(ds(e, 'id'), value(e));
    }),
    onRateSubmit: on((c, e) => {
      c.forms.rateSubmit(ds(e, 'id'), ds(e, 'declined') === 'true');
    }),
    onLeaveOpen: on((c, e) => {
      c.forms.openLeave(ds(e, 'open') !== 'false');
    }),
    onLeaveInput: on((c, e) => {
      c.forms.leaveInput(ds(e, 'field'), value(e));
    }),
    onLeaveSubmit: on((c) => {
      c.forms.leaveSubmit();
    }),
    onVoiceStart: on((c, e) => {
      c.actions.voiceStart(touchY(e));
    }),
    onVoiceMove: on((c, e) => {
      c.actions.voiceMove(touchY(e));
    }),
    onVoiceEnd: on((c, e) => {
      c.actions.voiceEnd(e.type === 'touchcancel');
    }),
    onPlay: on((c, e) => {
      c.actions.playVoice(ds(e, 'key'));
    }),
    onEnd: on((c) => {
      c.actions.endChat();
    }),
    onNewChat: on((c) => {
      c.actions.newChat();
    }),
  },
});
