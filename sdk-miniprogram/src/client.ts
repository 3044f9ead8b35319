// The customer client and the chat model for mini-programs: sdk-core with the platform's socket, storage,
// request and uploadFile. Works with `wx` (native), `uni` (uni-app) and `Taro` (Taro), passed in.
import {
  createCustomerClient,
  CustomerChat,
  type ChatHost,
  type ChatPlatform,
  type CustomerClient,
  type SignedIdentity,
} from '@kefu/sdk-core';
import { checkApi } from './api.js';
import { createMiniProgramHttp, createMiniProgramUpload } from './http.js';
import { clearMiniProgramStorage, createMiniProgramStorage } from './storage.js';
import { createMiniProgramTransport } from './transport.js';

export interface MiniProgramClientOptions {
  /** `wx`, `uni` or `Taro`. */
  platform: unknown;
  /** Kefu server base URL (must be a request/socket legal domain of the mini-program). */
  server: string;
  /** The mall backend's signed identity for a logged-in customer; absent: an anonymous visitor. */
  identify?: () => Promise<SignedIdentity>;
  /** Storage key prefix (default `kefu:`). */
  storagePrefix?: string;
}

function checkServer(server: unknown): string {
  if (typeof server !== 'string' || !/^https?:\/\/[^/\s]+/.test(server))
    throw new TypeError('kefu: server must be an http(s) URL such as https://kefu.example.com');
  return server.replace(/\/+$/, '');
}

/** The runtime pieces of CustomerChat for mini-programs; files are local temp paths. */
export function miniProgramPlatform(platform: unknown): ChatPlatform<string> {
  const api = checkApi(platform);
  const upload = createMiniProgramUpload(api);
  return {
    createTransport: () => createMiniProgramTransport(api),
    createStorage: (prefix) => createMiniProgramStorage(api, prefix),
    clearStorage: (prefix) => clearMiniProgramStorage(api, prefix),
    http: createMiniProgramHttp(api),
    upload,
    // A temp path is displayable as it is.
    preview: (file) => file,
    watchNetwork: (onChange) => {
      if (typeof api.onNetworkStatusChange !== 'function') return () => undefined;
      let active = true;
      const listener = (r: { isConnected: boolean }): void => {
        if (active) onChange(r.isConnected);
      };
      api.onNetworkStatusChange(listener);
      return () => {
        active = false;
        api.offNetworkStatusChange?.(listener);
      };
    },
  };
}

/** A headless customer client (draw your own UI): `start()`, `open()`, listen to its events. */
export function createClient(options: MiniProgramClientOptions): CustomerClient {
  const platform = miniProgramPlatform(options.platform);
  return createCustomerClient({
    baseUrl: checkServer(options.server),
    transport: platform.createTransport(),
    storage: platform.createStorage(options.storagePrefix ?? 'kefu:'),
    http: platform.http,
    ...(options.identify ? { identify: options.identify } : {}),
  });
}

export interface MiniProgramChatOptions extends Omit<ChatHost, 'server' | 'channel' | 'page'> {
  platform: unknown;
  server: string;
  channel?: string;
  /** The mini-program page the customer chats from (route and title). */
  page?: () => { url: string; title: string };
  storagePrefix?: string;
}

/** The chat model the native component draws (usable by hosts that draw their own chat UI too). */
export function createChat(options: MiniProgramChatOptions): CustomerChat<string> {
  const { platform, storagePrefix, ...host } = options;
  return new CustomerChat<string>(
    {
      ...host,
      server: checkServer(options.server),
      channel: options.channel ?? 'miniprogram',
      page: options.page ?? (() => ({ url: '', title: '' })),
    },
    miniProgramPlatform(platform),
    storagePrefix ?? 'kefu:',
  );
}
