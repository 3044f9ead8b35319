// @kefu/sdk-miniprogram: the customer client and chat model for WeChat mini-programs (native, uni-app,
// Taro).

/** The generated Protobuf code (static, eval-free): message types for hosts that read messages. */
export { kefu } from '@kefu/proto';

export {
  SDK_VERSION,
  CustomerChat,
  type ChatState,
  type PendingItem,
  type SignedIdentity,
} from '@kefu/sdk-core';
/** What the component draws with, for hosts that draw their own chat UI (the same as the web widget). */
export {
  CUSTOMER_STRINGS,
  KEFU_STICKER_PACK,
  canRecall,
  describeQuote,
  formatFileSize,
  formatMessageTime,
  orderTotalText,
  productPriceText,
  recalledText,
  timeDividers,
} from '@kefu/sdk-core';
export {
  createClient,
  createChat,
  miniProgramPlatform,
  type MiniProgramClientOptions,
  type MiniProgramChatOptions,
} from './client.js';
export { createMiniProgramTransport } from './transport.js';
export { MiniProgramSocket } from './socket.js';
export { createMiniProgramStorage, clearMiniProgramStorage } from './storage.js';
export { createMiniProgramHttp, createMiniProgramUpload, type UploadRequest } from './http.js';
export type { MiniProgramApi, SocketTaskLike, RecorderManagerLike, InnerAudioContextLike } from './api.js';
