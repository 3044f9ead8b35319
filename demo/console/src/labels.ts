// The label of each code the server sends (roles, permissions, channels, statuses, routing events and
// reasons, close reasons) in the agent's language. An unknown code (a channel a mall invented, a newer
// server's permission) is shown as it is: better than nothing, and the tables grow when one appears.
import type { kefu } from '@kefu/proto';
import { isStringKey, type Translate } from './i18n/index.js';

/** Table prefix per kind of code (i18n/codes.ts). */
const PREFIX = {
  role: 'role_',
  permission: 'perm_',
  channel: 'channel_',
  status: 'cs_',
  routingEvent: 'ev_',
  reason: 'why_',
} as const;
export type CodeKind = keyof typeof PREFIX;

export function codeLabel(t: Translate, kind: CodeKind, code: string | null | undefined): string {
  if (!code) return '';
  const key = `${PREFIX[kind]}${code}`;
  return isStringKey(key) ? t(key) : code;
}

/** Free-text close reasons clients send today (sdk-core's customer chat) mapped to their code. */
const CLOSE_TEXTS: Record<string, string> = { 'customer ended the chat': 'customer_ended' };

/** Why a conversation closed: a system code (queue_timeout…), a known client text, or the closer's text. */
export function closeReasonLabel(t: Translate, reason: string | null | undefined): string {
  if (!reason) return '';
  return codeLabel(t, 'reason', CLOSE_TEXTS[reason.toLowerCase()] ?? reason);
}

/** Notices of what happened (transfer, left message): the console's words with the notice's params. */
const EVENT_NOTICES: Record<string, string[]> = {
  transferred: ['from', 'to'],
  transfer_note: ['from', 'note'],
  left_message: ['content'],
};

/**
 * A system notice's line. Event notices are translated from their code and params; routing notices keep
 * the admin's text (路由设置 › 提示文案) and fall back to the built-in one by code.
 */
export function noticeText(t: Translate, n: kefu.v1.ISystemNotice): string {
  const code = n.code ?? '';
  const key = `notice_${code}`;
  const params = n.params ?? {};
  const needs = EVENT_NOTICES[code];
  if (needs && isStringKey(key) && needs.every((p) => params[p])) return t(key, params);
  return n.text || (isStringKey(key) ? t(key, params) : '');
}
