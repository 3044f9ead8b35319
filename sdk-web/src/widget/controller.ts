// The always-loaded part of the widget: commands, events, the launcher bubble. Vanilla DOM only (the
// loader budget is 4 KB gzip); the Preact panel and the MQTT client load on first open, or at page load
// when a conversation is active.
import { createLauncher, type Launcher } from './launcher.js';
import {
  ACTIVE_KEY,
  type IdentitySource,
  type InitOptions,
  type Locale,
  type OrderInput,
  type PanelApi,
  type PanelModule,
  type ProductInput,
  type WidgetEventName,
  type WidgetEvents,
} from './types.js';

type Listener = (...args: never[]) => void;

const COMMANDS = [
  'init',
  'identify',
  'setAttributes',
  'open',
  'close',
  'toggle',
  'show',
  'hide',
  'sendProduct',
  'sendOrder',
  'setLocale',
  'on',
  'off',
  'logout',
] as const;
export type CommandName = (typeof COMMANDS)[number];

function warn(message: string): void {
  console.warn(`[Kefu] ${message}`);
}

function readActive(): boolean {
  try {
    return localStorage.getItem(ACTIVE_KEY) === '1';
  } catch {
    return false;
  }
}

function writeActive(active: boolean): void {
  try {
    if (active) localStorage.setItem(ACTIVE_KEY, '1');
    else localStorage.removeItem(ACTIVE_KEY);
  } catch {
    // Storage disabled: the panel then loads on first open only.
  }
}

export interface Widget {
  /** Runs one command; `logout` returns a promise that settles once this device forgot the customer. */
  command(name: string, ...args: unknown[]): unknown;
}

/** Removes everything the widget stored on this device (sessions, outboxes, seq positions). */
function forgetDevice(): void {
  try {
    for (let i = localStorage.length - 1; i >= 0; i -= 1) {
      const key = localStorage.key(i);
      if (key && /^kefu:(u:|v|active$)/.test(key)) localStorage.removeItem(key);
    }
  } catch {
    // Storage disabled: nothing was kept.
  }
}

/** `loadPanel` is `import(url)` in the IIFE loader and a bundler-visible `import()` in the ESM build. */
export function createWidget(loadPanel: () => Promise<PanelModule>): Widget {
  let options: InitOptions | undefined;
  let identity: IdentitySource | undefined;
  let attributes: Record<string, string> = {};
  let locale: Locale = 'zh-CN';
  let launcher: Launcher | undefined;
  let panel: PanelApi | undefined;
  let loading: Promise<PanelApi | undefined> | undefined;
  let open = false;
  let hidden = false;
  const listeners = new Map<WidgetEventName, Set<Listener>>();

  const emit = <K extends WidgetEventName>(event: K, ...args: WidgetEvents[K]): void => {
    for (const fn of listeners.get(event) ?? []) {
      try {
        (fn as (...a: WidgetEvents[K]) => void)(...args);
      } catch (err) {
        console.error(err);
      }
    }
  };

  const ensurePanel = (): Promise<PanelApi | undefined> => {
    if (!options || !launcher) return Promise.resolve(undefined);
    const l = launcher;
    const o = options;
    loading ??= Promise.resolve()
      .then(loadPanel)
      .then(
        (mod) => {
          panel = mod.mountPanel({
            options: o,
            identity: () => identity,
            attributes: () => attributes,
            locale: () => locale,
            container: l.panel,
            root: l.root,
            isOpen: () => open,
            requestClose: () => {
              setOpen(false);
            },
            setUnread: (n) => {
              l.badge(n);
              emit('unread', n);
            },
            emit,
            setActive: writeActive,
          });
          panel.visibility(open);
          return panel;
        },
        (err: unknown) => {
          loading = undefined;
          emit('error', { code: 'load_failed', message: String(err) });
          l.failed();
          return undefined;
        },
      );
    return loading;
  };

  function setOpen(next: boolean): void {
    if (!launcher || next === open) return;
    open = next;
    launcher.setOpen(next);
    if (next) void ensurePanel();
    panel?.visibility(next);
    emit(next ? 'open' : 'close');
  }

  const withPanel = (fn: (p: PanelApi) => void): void => {
    void ensurePanel().then((p) => {
      if (p) fn(p);
    });
  };

  const handlers: Record<CommandName, (...args: never[]) => unknown> = {
    init(o: InitOptions) {
      if (options) {
        warn('init was called twice; ignored');
        return;
      }
      if (typeof o !== 'object' || typeof o.server !== 'string' || !/^https?:\/\//.test(o.server)) {
        warn('init needs { server: "https://…" }');
        return;
      }
      options = o;
      locale = o.locale === 'en' ? 'en' : 'zh-CN';
      launcher = createLauncher(o, locale, () => {
        setOpen(!open);
      });
      if (readActive()) void ensurePanel();
      emit('ready');
    },
    identify(source: IdentitySource) {
      identity = source;
    },
    setAttributes(a: Record<string, unknown>) {
      for (const [k, v] of Object.entries(a)) {
        if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
          attributes[k.slice(0, 64)] = String(v).slice(0, 256);
      }
    },
    open() {
      setOpen(true);
    },
    close() {
      setOpen(false);
    },
    toggle() {
      setOpen(!open);
    },
    show() {
      hidden = false;
      launcher?.setHidden(false);
    },
    hide() {
      hidden = true;
      launcher?.setHidden(hidden);
    },
    sendProduct(p: ProductInput) {
      withPanel((x) => {
        x.sendProduct(p);
      });
    },
    sendOrder(o: OrderInput) {
      withPanel((x) => {
        x.sendOrder(o);
      });
    },
    setLocale(l: Locale) {
      locale = l === 'en' ? 'en' : 'zh-CN';
      launcher?.setLocale(locale);
      panel?.setLocale(locale);
    },
    on(event: WidgetEventName, fn: Listener) {
      if (typeof fn !== 'function') {
        warn('on(event, fn) needs a function');
        return;
      }
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(fn);
    },
    off(event: WidgetEventName, fn: Listener) {
      listeners.get(event)?.delete(fn);
    },
    async logout(): Promise<void> {
      identity = undefined;
      attributes = {};
      setOpen(false);
      launcher?.badge(0);
      // A panel still loading is awaited so its session is ended too, not left connected.
      const p = panel ?? (await loading?.catch(() => undefined));
      panel = undefined;
      loading = undefined;
      await p?.logout().catch((err: unknown) => {
        console.error(err);
      });
      forgetDevice();
    },
  };

  return {
    command(name, ...args) {
      if (!(COMMANDS as readonly string[]).includes(name)) {
        warn(`unknown command "${name}"`);
        return;
      }
      if (
        name !== 'init' &&
        name !== 'on' &&
        name !== 'off' &&
        !options &&
        name !== 'identify' &&
        name !== 'setAttributes' &&
        name !== 'setLocale'
      ) {
        warn(`call init before ${name}`);
        return;
      }
      return (handlers[name as CommandName] as (...a: unknown[]) => unknown)(...args);
    },
  };
}
