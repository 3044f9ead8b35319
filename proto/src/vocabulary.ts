// String vocabularies the wire carries outside Protobuf enums: the server, the console and the customer
// UIs must agree on them.

/** `SystemNotice.code` of routing notices; each client translates a code when the admin left its text empty. */
export const NOTICE_CODES = [
  'greeting',
  'no_agent',
  'queue_full',
  'queue_reminder',
  'queue_timeout',
  'agent_reminder',
  'agent_timeout',
  'customer_reminder',
  'customer_timeout',
  'blacklisted',
] as const;
export type NoticeCode = (typeof NOTICE_CODES)[number];

/**
 * `SystemNotice.code` of what happens in a conversation (not admin texts): `transferred` (params `from`,
 * `to`: agents' names), `transfer_note` (agents only; params `from`, `note`), `left_message` (agents only;
 * params `content`, `at`: what the customer left while nobody was online).
 */
export const EVENT_NOTICE_CODES = ['transferred', 'transfer_note', 'left_message'] as const;
export type EventNoticeCode = (typeof EVENT_NOTICE_CODES)[number];

/** `OpenConversation.reception_mode`, and the admin's setting of the same name. */
export const RECEPTION_MODES = ['robot_only', 'human_only', 'robot_first', 'human_first'] as const;
export type ReceptionMode = (typeof RECEPTION_MODES)[number];

/**
 * Document types a `file` upload may be (the server checks magic bytes; txt/csv by content), named by
 * their extension: the server's default allow-list and the customer UIs' file pickers.
 */
export const FILE_TYPES = [
  'pdf',
  'doc',
  'docx',
  'xls',
  'xlsx',
  'ppt',
  'pptx',
  'odt',
  'ods',
  'odp',
  'zip',
  'rar',
  '7z',
  'txt',
  'csv',
  'mp4',
  'mov',
  'mp3',
  'm4a',
] as const;
export type FileType = (typeof FILE_TYPES)[number];
