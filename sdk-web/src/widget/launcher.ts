// The launcher bubble and the panel's container, in a closed-over Shadow root: host CSS cannot reach in
// and ours cannot leak out. The host element resets inherited properties (`all: initial`).
import type { InitOptions, Locale } from './types.js';

export interface Launcher {
  readonly root: ShadowRoot;
  readonly panel: HTMLElement;
  setOpen(open: boolean): void;
  setHidden(hidden: boolean): void;
  setLocale(locale: Locale): void;
  badge(count: number): void;
  failed(): void;
}

const LABEL: Record<Locale, [string, string]> = {
  'zh-CN': ['在线客服', '关闭客服窗口'],
  en: ['Chat with us', 'Close chat'],
};

const CHAT_ICON =
  '<svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" d="M12 3C6.5 3 2 6.6 2 11c0 2.4 1.3 4.5 3.4 6L4.6 21l4.3-2.3c1 .2 2 .3 3.1.3 5.5 0 10-3.6 10-8s-4.5-8-10-8z"/></svg>';
const CLOSE_ICON =
  '<svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true"><path fill="currentColor" d="M18.3 5.7 12 12l6.3 6.3-1.4 1.4L10.6 13.4 4.3 19.7 2.9 18.3 9.2 12 2.9 5.7l1.4-1.4 6.3 6.3 6.3-6.3z"/></svg>';

function css(color: string, side: 'right' | 'left'): string {
  return `.k{--kefu-color:${color};font:14px/1.5 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Helvetica Neue",Arial,sans-serif;color:#1f2328;text-align:left;direction:ltr}
*{box-sizing:border-box}
.b{all:unset;box-sizing:border-box;width:56px;height:56px;border-radius:50%;background:var(--kefu-color);color:#fff;display:flex;align-items:center;justify-content:center;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);position:absolute;bottom:0;${side}:0}
.b:focus-visible{outline:3px solid #1f6feb;outline-offset:2px}
.n{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#f5222d;color:#fff;font-size:12px;line-height:20px;text-align:center;font-weight:600}
.n[hidden],.h{display:none}
.p{position:absolute;${side}:0;bottom:72px;width:380px;height:min(640px,calc(100vh - 110px));display:none}
.p.o{display:block}
@media (max-width:600px){.p.o{position:fixed;inset:0;width:auto;height:auto;z-index:1}.k.o .b{display:none}}`;
}

export function createLauncher(options: InitOptions, locale: Locale, onClick: () => void): Launcher {
  const host = document.createElement('div');
  host.setAttribute('data-kefu', '');
  const side = options.position === 'left' ? 'left' : 'right';
  // Inline and !important: the host page's stylesheets (even hostile `div {…!important}`) cannot move us.
  host.style.cssText = `all:initial!important;display:block!important;position:fixed!important;z-index:${String(
    options.zIndex ?? 2147483000,
  )}!important;bottom:20px!important;${side}:20px!important;width:56px!important;height:56px!important;margin:0!important;padding:0!important;border:0!important;transform:none!important;visibility:visible!important;opacity:1!important`;
  const root = host.attachShadow({ mode: 'open' });
  const wrap = document.createElement('div');
  wrap.className = 'k';
  const style = document.createElement('style');
  style.textContent = css(options.color ?? '#1677ff', side);
  const panel = document.createElement('div');
  panel.className = 'p';
  const button = document.createElement('button');
  button.className = 'b';
  button.type = 'button';
  button.setAttribute('aria-haspopup', 'dialog');
  const badge = document.createElement('span');
  badge.className = 'n';
  badge.hidden = true;
  let open = false;
  let current = locale;
  const paint = (): void => {
    button.innerHTML = open ? CLOSE_ICON : CHAT_ICON;
    button.appendChild(badge);
    button.setAttribute('aria-label', LABEL[current][open ? 1 : 0]);
    button.setAttribute('aria-expanded', String(open));
  };
  paint();
  button.addEventListener('click', onClick);
  wrap.append(panel, button);
  root.append(style, wrap);
  const mount = (): void => {
    document.body.appendChild(host);
  };
  // A loader placed in <head> (without async) runs before <body> exists.
  if ((document.body as HTMLElement | null) !== null) mount();
  else document.addEventListener('DOMContentLoaded', mount);

  // Full screen on phones covers the *visual* viewport: host pages wider than the screen (layout viewport
  // grows) and the on-screen keyboard (visual viewport shrinks) would otherwise hide parts of the panel.
  const phone = matchMedia('(max-width:600px)');
  const vv = window.visualViewport;
  const fit = (): void => {
    const s = panel.style;
    if (open && phone.matches && vv) {
      s.cssText = `left:${String(vv.offsetLeft)}px;top:${String(vv.offsetTop)}px;width:${String(vv.width)}px;height:${String(vv.height)}px;right:auto;bottom:auto`;
    } else s.cssText = '';
  };
  vv?.addEventListener('resize', fit);
  vv?.addEventListener('scroll', fit);
  phone.addEventListener('change', fit);

  return {
    root,
    panel,
    setOpen(o) {
      open = o;
      fit();
      panel.classList.toggle('o', o);
      wrap.classList.toggle('o', o);
      paint();
    },
    setHidden(h) {
      button.classList.toggle('h', h);
    },
    setLocale(l) {
      current = l;
      paint();
    },
    badge(count) {
      badge.hidden = count <= 0;
      badge.textContent = count > 99 ? '99+' : String(count);
      const label = LABEL[current][open ? 1 : 0];
      button.setAttribute('aria-label', count > 0 ? `${label} (${String(count)})` : label);
    },
    failed() {
      button.title = current === 'en' ? 'Chat could not load; try again' : '客服加载失败，请重试';
    },
  };
}
