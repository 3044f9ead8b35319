export { createTopics, formatYuan, type Role, type TopicSet } from '@kefu/proto';
export {
  KefuClient,
  type ClientOptions,
  type ClientEvents,
  type ClientError,
  type ConnectionStatus,
} from './client.js';
export {
  CustomerClient,
  createCustomerClient,
  type CustomerClientOptions,
  type SignedIdentity,
} from './customer-client.js';
export {
  AgentClient,
  createAgentClient,
  type AgentClientOptions,
  type AgentSignIn,
  type AgentStatusName,
} from './agent-client.js';
export { ConversationTracker } from './conversation-tracker.js';
export { Outbox, type OutboxItem } from './outbox.js';
export {
  SessionManager,
  SessionError,
  toSession,
  type Session,
  type Credentials,
  type GrantBody,
} from './session.js';
export { createMemoryStorage, type KeyValueStorage } from './storage.js';
export { createFetchHttp, type Http, type HttpRequest, type HttpResponse } from './http.js';
export { backoffDelay } from './backoff.js';
export { Emitter } from './emitter.js';
export {
  TransportError,
  type Transport,
  type TransportConnection,
  type TransportEvents,
  type ConnectOptions,
} from './transport/types.js';
export { createMqttTransport, type MqttLikeClient, type MqttLikeConnect } from './transport/mqtt-like.js';
export {
  createMqttWsTransport,
  type MqttWsTransportOptions,
  type OpenWebSocket,
  type WebSocketLike,
} from './transport/mqtt-ws/index.js';

/** Reported to the server at session creation so support can tell SDK versions apart. */
export const SDK_VERSION = '0.1.0';
export { ChatConnection } from './chat/chat-connection.js';
export {
  CustomerChat,
  initialChatState,
  type ChatEvents,
  type ChatHost,
  type ChatNotice,
  type ChatPlatform,
  type ChatState,
  type ChatStatus,
  type OrderSummary,
  type PendingItem,
} from './chat/customer-chat.js';
export {
  HttpError,
  httpError,
  fileContent,
  formatPrice,
  imageContent,
  orderContent,
  orderTotalText,
  productContent,
  productPriceText,
  voiceContent,
  type OrderInput,
  type OrderTotals,
  type ProductInput,
  type UploadKind,
  type UploadResult,
} from './chat/cards.js';
export { CUSTOMER_STRINGS, fmt, type CustomerLocale, type CustomerStrings } from './chat/strings.js';
export { TIME_DIVIDER_GAP_MS, formatMessageTime, needsTimeDivider, timeDividers } from './chat/time.js';
export { authorName, describeQuote, messageSnippet, type QuoteView } from './chat/quote.js';
export { RECALL_WINDOW_MS, canRecall, recallDeadline, recalledText } from './chat/recall.js';
export {
  KEFU_STICKER_PACK,
  STICKER_PACKS,
  findSticker,
  stickerContent,
  stickerPath,
  stickerUrl,
  type StickerDef,
  type StickerPack,
} from './chat/stickers.js';
export {
  FILE_EXTENSIONS,
  UPLOAD_LIMITS,
  formatFileSize,
  isRetryable,
  pendingStatus,
  uploadErrorCode,
  type UploadErrorCode,
} from './chat/uploads.js';
export {
  VOICE_MAX_MS,
  VOICE_MIME_TYPES,
  VOICE_MIN_MS,
  formatDuration,
  pickVoiceMimeType,
  voiceErrorCode,
  type VoiceErrorCode,
} from './chat/voice.js';
