// The panel's chat: sdk-core's platform-free CustomerChat bound to the browser — WebSocket transport,
// localStorage, fetch, XMLHttpRequest uploads with progress, canvas downscaling, object-URL previews.
import {
  CustomerChat,
  SessionError,
  type ChatHost,
  type ChatPlatform,
  type SignedIdentity,
} from '@kefu/sdk-core';
import { createBrowserHttp, createLocalStorage, watchBrowserNetwork } from '../platform.js';
import { createWebSocketTransport } from '../transport/index.js';
import type { IdentitySource, PanelHost } from '../widget/types.js';
import { downscaleImage } from './image.js';
import { uploadWithProgress } from '../upload.js';

export type { ChatState, OrderSummary, PendingItem } from '@kefu/sdk-core';
export { HttpError, orderContent, productContent } from '@kefu/sdk-core';

export type Chat = CustomerChat<Blob>;

function isSigned(x: IdentitySource): x is SignedIdentity {
  return typeof x === 'object' && 'signature' in x;
}

/** The signed identity from what the host configured: the object, a function, or a same-origin URL. */
async function fetchIdentity(host: PanelHost): Promise<SignedIdentity | undefined> {
  const source = host.identity();
  if (!source) return undefined;
  if (typeof source === 'function') return source();
  if (isSigned(source)) return source;
  const res = await fetch(source.url, { credentials: 'include', headers: { accept: 'application/json' } });
  if (!res.ok)
    throw new SessionError(
      `identity endpoint answered ${String(res.status)}`,
      'identity_unavailable',
      res.status,
    );
  return (await res.json()) as SignedIdentity;
}

const browser: ChatPlatform<Blob> = {
  createTransport: () => createWebSocketTransport(),
  createStorage: (prefix) => createLocalStorage(prefix),
  clearStorage: (prefix) => {
    try {
      for (let i = localStorage.length - 1; i >= 0; i -= 1) {
        const key = localStorage.key(i);
        if (key?.startsWith(prefix)) localStorage.removeItem(key);
      }
    } catch {
      // Storage unavailable: nothing was persisted.
    }
    return Promise.resolve();
  },
  http: createBrowserHttp(),
  upload: ({ url, token, kind, file, name, onProgress }) =>
    uploadWithProgress(url, token, file, onProgress, name ?? (kind === 'image' ? 'image.jpg' : kind)),
  prepareImage: (file) => downscaleImage(file, 1600),
  preview: (file) => URL.createObjectURL(file),
  releasePreview: (url) => {
    URL.revokeObjectURL(url);
  },
  watchNetwork: watchBrowserNetwork,
};

export function createChat(host: PanelHost): Chat {
  const visible = (): boolean => host.isOpen() && document.visibilityState === 'visible';
  const o = host.options;
  const chatHost: ChatHost = {
    server: o.server,
    channel: o.channel ?? 'web',
    ...(o.groupId === undefined ? {} : { groupId: o.groupId }),
    ...(o.agentUid === undefined ? {} : { agentUid: o.agentUid }),
    strict: o.strict === true,
    identity: () => fetchIdentity(host),
    attributes: () => host.attributes(),
    page: () => ({ url: location.href, title: document.title }),
    visible,
    // ChatEvents is a subset of WidgetEvents with the same payloads.
    emit: (event, ...args) => {
      (host.emit as (e: string, ...a: unknown[]) => void)(event, ...args);
    },
    setUnread: (count) => {
      host.setUnread(count);
    },
    setActive: (active) => {
      host.setActive(active);
    },
  };
  return new CustomerChat(chatHost, browser, 'kefu:');
}
