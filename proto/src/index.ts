export { createTopics, isValidUid, DEFAULT_TOPIC_PREFIX, type Role, type TopicSet } from './topics.js';
export { ulid, ulidTime, type RandomBytes } from './ids.js';
/** The generated Protobuf classes and enums: `kefu.v1.Envelope`, `kefu.v1.Content`, `kefu.v1.Role`… */
export { kefu } from './generated/kefu.js';
export {
  MAX_ENVELOPE_BYTES,
  ENVELOPE_BODY_KINDS,
  CONTENT_KINDS,
  ProtocolError,
  encodeEnvelope,
  decodeEnvelope,
  bodyKind,
  contentKind,
  type ProtocolErrorCode,
  type EnvelopeBodyKind,
  type ContentKind,
} from './codec.js';
export {
  EVENT_NOTICE_CODES,
  FILE_TYPES,
  NOTICE_CODES,
  RECEPTION_MODES,
  type EventNoticeCode,
  type FileType,
  type NoticeCode,
  type ReceptionMode,
} from './vocabulary.js';
export { ORDER_STATUS_TEXT, formatYuan, priceLabel } from './card-text.js';
