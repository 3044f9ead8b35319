// The two globals a native custom component's code runs with (WeChat's runtime; uni-app and Taro pages
// run on the same runtime), typed only as far as kefu-chat uses them. Not miniprogram-api-typings: it
// declares the same globals and would be pulled into every file of the package.

/** What `this` is inside a component's lifetimes and methods (the part kefu-chat uses). */
interface KefuComponentInstance {
  readonly data: Record<string, unknown>;
  readonly properties: Record<string, unknown>;
  setData(patch: Record<string, unknown>, callback?: () => void): void;
  triggerEvent(name: string, detail?: unknown, options?: { bubbles?: boolean; composed?: boolean }): void;
  createSelectorQuery(): {
    select(selector: string): {
      boundingClientRect(callback: (rect: { height: number } | null) => void): unknown;
    };
    exec(callback?: () => void): void;
  };
}

/** A WXML event as handlers receive it. */
interface KefuWxEvent {
  type: string;
  detail: Record<string, unknown>;
  currentTarget: { dataset: Record<string, unknown> };
  touches?: ArrayLike<{ clientY?: number; pageY?: number }>;
  changedTouches?: ArrayLike<{ clientY?: number; pageY?: number }>;
}

interface KefuComponentOptions<I> {
  options?: Record<string, unknown>;
  properties: Record<string, { type: unknown; value?: unknown }>;
  data: Record<string, unknown>;
  observers?: Record<string, (this: I, ...values: unknown[]) => void>;
  lifetimes?: Partial<Record<'created' | 'attached' | 'ready' | 'detached', (this: I) => void>>;
  pageLifetimes?: Partial<Record<'show' | 'hide', (this: I) => void>>;
  methods: Record<string, (this: I, event: KefuWxEvent) => void>;
}

declare function Component<I>(options: KefuComponentOptions<I>): void;

/** The page stack; the last one is the page the component is on. */
declare function getCurrentPages(): { route?: string }[] | undefined;

/** WeChat's API object (the parts the component calls itself; the SDK takes it as `platform`). */
declare const wx: {
  chooseMedia?(options: {
    count: number;
    mediaType: string[];
    sourceType: string[];
    sizeType?: string[];
    success?(result: { tempFiles: { tempFilePath: string; size?: number }[] }): void;
    fail?(error: { errMsg?: string }): void;
  }): void;
  /** Files from a chat (WeChat's own file picker; images and videos go through chooseMedia). */
  chooseMessageFile?(options: {
    count: number;
    type: 'file' | 'all';
    extension?: string[];
    success?(result: { tempFiles: { path: string; name: string; size: number }[] }): void;
    fail?(error: { errMsg?: string }): void;
  }): void;
  downloadFile?(options: {
    url: string;
    success?(result: { tempFilePath: string; statusCode: number }): void;
    fail?(error: { errMsg?: string }): void;
  }): unknown;
  /** Opens doc(x), xls(x), ppt(x) and pdf files in WeChat's viewer. */
  openDocument?(options: {
    filePath: string;
    fileType?: string;
    showMenu?: boolean;
    fail?(error: { errMsg?: string }): void;
  }): void;
  previewImage?(options: { urls: string[]; current?: string }): void;
  showActionSheet?(options: {
    itemList: string[];
    success?(result: { tapIndex: number }): void;
    fail?(error: { errMsg?: string }): void;
  }): void;
  showModal?(options: {
    title: string;
    content: string;
    confirmText?: string;
    cancelText?: string;
    success?(result: { confirm: boolean; cancel: boolean }): void;
  }): void;
  setClipboardData?(options: { data: string }): void;
  showToast?(options: { title: string; icon?: 'none' | 'success' | 'error'; duration?: number }): void;
  // A global declaration file has no imports; it names module types this way.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  getRecorderManager?(): import('../../api.js').RecorderManagerLike;
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  createInnerAudioContext?(): import('../../api.js').InnerAudioContextLike;
};

// Timers exist in every mini-program runtime but in no TypeScript lib without DOM or Node types.
declare function setTimeout(callback: () => void, ms: number): unknown;
declare function clearTimeout(handle: unknown): void;
