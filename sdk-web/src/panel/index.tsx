// The lazily loaded panel (kefu-panel.js): Preact UI + the customer client. Mounted by the loader into
// the widget's Shadow root.
import { render } from 'preact';
import { kefu } from '@kefu/proto';
import type { Locale, PanelApi, PanelHost } from '../widget/types.js';
import { App } from './app.js';
import { createChat } from './chat.js';
import { STRINGS } from './i18n.js';
import { PANEL_CSS } from './styles.js';

/** A short two-tone chime (Web Audio: no sound file to download). */
function chime(): void {
  try {
    const Ctx = (window as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
    if (!Ctx) return;
    const ctx = new Ctx();
    const gain = ctx.createGain();
    gain.connect(ctx.destination);
    gain.gain.setValueAtTime(0.08, ctx.currentTime);
    gain.gain.exponentialRampToValueAtTime(0.001, ctx.currentTime + 0.4);
    for (const [f, at] of [
      [880, 0],
      [1320, 0.12],
    ] as const) {
      const o = ctx.createOscillator();
      o.frequency.value = f;
      o.connect(gain);
      o.start(ctx.currentTime + at);
      o.stop(ctx.currentTime + at + 0.25);
    }
    setTimeout(() => void ctx.close(), 800);
  } catch {
    // Autoplay policy or no audio: the badge and title still tell.
  }
}

export function mountPanel(host: PanelHost): PanelApi {
  const style = document.createElement('style');
  style.textContent = PANEL_CSS;
  host.root.appendChild(style);
  let locale: Locale = host.locale();
  const chat = createChat(host);
  let open = false;
  const baseTitle = document.title;
  let flashing: ReturnType<typeof setInterval> | undefined;

  const stopFlash = (): void => {
    if (flashing) clearInterval(flashing);
    flashing = undefined;
    document.title = baseTitle;
  };
  const flashTitle = (): void => {
    if (flashing) return;
    const mark = STRINGS[locale].newMessage;
    flashing = setInterval(() => {
      document.title = document.title.startsWith(mark) ? baseTitle : mark + baseTitle;
    }, 1_000);
  };
  const attention = (msg: kefu.v1.IMessage): void => {
    if (msg.sender?.role === kefu.v1.Role.ROLE_CUSTOMER) return;
    const seen = open && document.visibilityState === 'visible';
    if (seen) return;
    if (host.options.sound !== false) chime();
    flashTitle();
  };
  const onVisible = (): void => {
    if (document.visibilityState === 'visible' && open) {
      stopFlash();
      chat.markRead();
    }
  };
  document.addEventListener('visibilitychange', onVisible);

  const paint = (): void => {
    const t = STRINGS[locale];
    render(
      <App
        chat={chat}
        t={t}
        title={host.options.title ?? t.title}
        onClose={() => {
          host.requestClose();
        }}
      />,
      host.container,
    );
  };
  const stopAttention = chat.onIncoming(attention);
  paint();
  // A conversation was active on an earlier page: connect now so unread messages reach the badge.
  void chat.start();

  return {
    visibility(o) {
      open = o;
      if (o) {
        stopFlash();
        void chat.open().then(() => {
          chat.markRead();
        });
        const area = host.container.querySelector('textarea');
        setTimeout(() => area?.focus(), 0);
      }
    },
    sendProduct(p) {
      chat.sendProduct(p);
    },
    sendOrder(o) {
      chat.sendOrder(o);
    },
    setLocale(l) {
      locale = l;
      paint();
    },
    async logout() {
      stopAttention();
      stopFlash();
      document.removeEventListener('visibilitychange', onVisible);
      await chat.logout();
      render(null, host.container);
      style.remove();
    },
  };
}
