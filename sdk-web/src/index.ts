// ESM entry for single-page malls and hosts that draw their own UI.
import { createCustomerClient, type CustomerClient } from '@kefu/sdk-core';
import { createBrowserHttp, createLocalStorage } from './platform.js';
import { createWebSocketTransport } from './transport/index.js';
import { createWidget } from './widget/controller.js';
import type {
  IdentitySource,
  InitOptions,
  Locale,
  OrderInput,
  ProductInput,
  SignedIdentity,
  WidgetEventName,
  WidgetEvents,
} from './widget/types.js';

export { SDK_VERSION } from '@kefu/sdk-core';
export { createBrowserHttp, createLocalStorage } from './platform.js';
export { createWebSocketTransport } from './transport/index.js';
export type * from './widget/types.js';

/** The widget as an object: the same commands as the `Kefu('…')` snippet, typed. */
export interface KefuWidget {
  init(options: InitOptions): void;
  identify(source: IdentitySource): void;
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  open(): void;
  close(): void;
  toggle(): void;
  show(): void;
  hide(): void;
  sendProduct(product: ProductInput): void;
  sendOrder(order: OrderInput): void;
  setLocale(locale: Locale): void;
  on<K extends WidgetEventName>(event: K, fn: (...args: WidgetEvents[K]) => void): void;
  off<K extends WidgetEventName>(event: K, fn: (...args: WidgetEvents[K]) => void): void;
  /** Ends the session and forgets the customer on this device; settles when done. */
  logout(): Promise<void>;
}

/** The embeddable widget for SPA malls; the panel is a separate chunk loaded on first open. */
export function createKefu(): KefuWidget {
  const w = createWidget(() => import('./panel/index.js'));
  const c =
    (name: string) =>
    (...args: unknown[]): void => {
      w.command(name, ...args);
    };
  return {
    init: c('init'),
    identify: c('identify'),
    setAttributes: c('setAttributes'),
    open: c('open'),
    close: c('close'),
    toggle: c('toggle'),
    show: c('show'),
    hide: c('hide'),
    sendProduct: c('sendProduct'),
    sendOrder: c('sendOrder'),
    setLocale: c('setLocale'),
    on: c('on'),
    off: c('off'),
    logout: () => Promise.resolve(w.command('logout')).then(() => undefined),
  };
}

export interface HeadlessOptions {
  server: string;
  /** Signed identity of a logged-in customer; absent: an anonymous visitor. */
  identify?: () => Promise<SignedIdentity>;
  /** localStorage key prefix (default `kefu:h`). */
  storagePrefix?: string;
}

/**
 * A customer client for hosts that draw their own UI: the sdk-core CustomerClient with the browser
 * transport, localStorage and fetch. `start()` it, `open()` a conversation, listen to its events.
 */
export function createHeadlessClient(options: HeadlessOptions): CustomerClient {
  return createCustomerClient({
    baseUrl: options.server,
    transport: createWebSocketTransport(),
    storage: createLocalStorage(options.storagePrefix ?? 'kefu:h'),
    http: createBrowserHttp(),
    ...(options.identify ? { identify: options.identify } : {}),
  });
}
