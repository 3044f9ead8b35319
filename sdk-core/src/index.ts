export { createTopics, type Role, type TopicSet } from '@kefu/proto';
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

/** Reported to the server at session creation so support can tell SDK versions apart. */
export const SDK_VERSION = '0.1.0';
export {
  CustomerChat,
  initialChatState,
  type ChatEvents,
  type ChatHost,
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
  imageContent,
  orderContent,
  productContent,
  voiceContent,
  type OrderInput,
  type ProductInput,
  type UploadKind,
  type UploadResult,
} from './chat/cards.js';
export { CUSTOMER_STRINGS, fmt, type CustomerLocale, type CustomerStrings } from './chat/strings.js';
