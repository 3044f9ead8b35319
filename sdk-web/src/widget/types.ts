// The contract between the loader (always present, tiny, vanilla DOM) and the lazily loaded panel.
import type { OrderInput, ProductInput, SignedIdentity } from '@kefu/sdk-core';

export type { OrderInput, ProductInput, SignedIdentity } from '@kefu/sdk-core';

export type Locale = 'zh-CN' | 'en';

export interface InitOptions {
  /** Kefu server base URL, e.g. https://kefu.example.com */
  server: string;
  locale?: Locale;
  /** Theme colour (any CSS colour). */
  color?: string;
  position?: 'right' | 'left';
  /** Panel title; default 在线客服 / Customer service. */
  title?: string;
  /** web, h5, app… (sent with the conversation). */
  channel?: string;
  /** Routing hints (REFERENCE.md §A: designated skill group or agent, strict or not). */
  groupId?: string;
  agentUid?: string;
  strict?: boolean;
  /** Sound on new messages while the panel is closed (default true). */
  sound?: boolean;
  zIndex?: number;
}

/**
 * Where the widget gets the signed identity: the signed object itself, a same-origin URL on the mall
 * that answers it (fetched again whenever a new session is needed, so signatures never go stale), or a
 * function (ESM API).
 */
export type IdentitySource = SignedIdentity | { url: string } | (() => Promise<SignedIdentity>);

export interface WidgetEvents {
  ready: [];
  open: [];
  close: [];
  message: [unknown];
  unread: [number];
  queue: [{ position: number; estimatedWaitMs: number }];
  assigned: [{ uid: string; name: string }];
  error: [{ code: string; message: string }];
}
export type WidgetEventName = keyof WidgetEvents;

/** What the loader gives the panel. */
export interface PanelHost {
  readonly options: Readonly<InitOptions>;
  identity(): IdentitySource | undefined;
  attributes(): Record<string, string>;
  locale(): Locale;
  /** The panel's container inside the shadow root. */
  readonly container: HTMLElement;
  readonly root: ShadowRoot;
  isOpen(): boolean;
  /** The panel asks to be closed (its close button, Esc). */
  requestClose(): void;
  setUnread(count: number): void;
  emit<K extends WidgetEventName>(event: K, ...args: WidgetEvents[K]): void;
  /** Remembers that a conversation is active (the loader then loads the panel at page load). */
  setActive(active: boolean): void;
}

export interface PanelApi {
  /** Shown or hidden by the loader. */
  visibility(open: boolean): void;
  sendProduct(product: ProductInput): void;
  sendOrder(order: OrderInput): void;
  setLocale(locale: Locale): void;
  /** Ends the session on this device: disconnects and forgets the stored session and outbox. */
  logout(): Promise<void>;
}

export interface PanelModule {
  mountPanel(host: PanelHost): PanelApi;
}

export const ACTIVE_KEY = 'kefu:active';
