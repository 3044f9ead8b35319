// What the console shows for a failed request: a sentence in the agent's language chosen by the server's
// error code (docs/console-api.md), never the server's English text or an `ApiError: …` string. The
// server's message is kept for a tooltip (`title`), where support can still read it.
import { isStringKey, type StringKey, type Translate } from './i18n/index.js';

/** One field the server's validation refused (400 `error.details.fields`). */
export interface FieldError {
  path: string;
  message: string;
}

/** Server messages the console can say more precisely than their code does. */
const KNOWN_MESSAGES: [RegExp, StringKey][] = [
  [/reminder must come before the close/i, 'msg_remind_before_close'],
  [/reminder must come before the transfer/i, 'msg_remind_before_transfer'],
  [/rule needs at least one condition/i, 'msg_rule_needs_condition'],
  [/unknown time zone/i, 'msg_unknown_time_zone'],
  [/expires_at must be in the future/i, 'msg_expiry_in_future'],
  [/voice clip has no sound or is too short/i, 'msg_voice_too_short'],
  [/voice clip is longer than/i, 'msg_voice_too_long'],
  [/voice clip is damaged/i, 'msg_voice_damaged'],
  [/file is empty/i, 'msg_file_empty'],
  [/is not online$|has reached their reception limit$/i, 'msg_no_room'],
  [/no agent of this group is online/i, 'msg_group_no_room'],
  [/username .* is taken/i, 'msg_username_taken'],
  [/cannot disable your own account/i, 'msg_cannot_disable_self'],
  [/cannot remove (your own )?config/i, 'msg_cannot_drop_own_config'],
  [/group named .* exists/i, 'msg_group_name_taken'],
  [/another agent has the email/i, 'msg_email_taken'],
  [/cannot overflow to itself/i, 'msg_overflow_self'],
];

const CODES = new Set([
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'rate_limited',
  'payload_too_large',
  'unsupported_media_type',
  'request_timeout',
  'unavailable',
  'bad_gateway',
  'internal',
]);

/** Finer causes the server names in `error.details.reason` (uploads: server/README.md "Uploads"). */
const REASONS: Record<string, StringKey> = {
  too_short: 'msg_voice_too_short',
  too_long: 'msg_voice_too_long',
  damaged: 'msg_voice_damaged',
  no_audio: 'msg_voice_damaged',
  empty: 'msg_file_empty',
  voice_unavailable: 'msg_voice_unavailable',
  idle: 'err_request_timeout',
};

/** The code and message of anything thrown (ApiError, HttpError, a network failure, a string). */
export function errorParts(e: unknown): { code: string; message: string; reason?: string } {
  const x = (typeof e === 'object' && e !== null ? e : {}) as {
    code?: unknown;
    message?: unknown;
    reason?: unknown;
  };
  const message = typeof x.message === 'string' ? x.message : typeof e === 'string' ? e : '';
  const reason = typeof x.reason === 'string' && x.reason ? x.reason : undefined;
  let code = typeof x.code === 'string' ? x.code : '';
  // fetch rejects with a TypeError, the upload's XMLHttpRequest with "network error": no answer at all.
  if (!code && (e instanceof TypeError || /network/i.test(message))) code = 'network';
  return reason ? { code, message, reason } : { code, message };
}

function known(message: string): StringKey | undefined {
  return KNOWN_MESSAGES.find(([re]) => re.test(message))?.[1];
}

/** The sentence to show for a failed request. */
export function errorText(t: Translate, e: unknown): string {
  const { code, message, reason } = errorParts(e);
  const precise = (reason ? REASONS[reason] : undefined) ?? known(message);
  if (precise) return t(precise);
  if (code === 'network') return t('err_network');
  if (code === 'internal_error' || code === 'http_error') return t('err_unknown');
  return CODES.has(code) ? t(`err_${code}` as StringKey) : t('err_unknown');
}

/** The server's own message, for a tooltip. */
export function errorDetail(e: unknown): string {
  const { code, message } = errorParts(e);
  return [code, message].filter(Boolean).join(': ');
}

/** Field paths of the admin forms and the label each shows under (`rules.2.match` → 规则 3：条件). */
export function fieldLabel(t: Translate, path: string): string {
  const rule = /^rules\.(\d+)(?:\.(\w+))?/.exec(path);
  if (rule) {
    const n = t('ruleN', { n: Number(rule[1]) + 1 });
    const part = rule[2] === 'match' ? t('conditions') : rule[2] === 'target' ? t('target') : '';
    return part ? `${n} · ${part}` : n;
  }
  const level = /^overflow\.(\d+)/.exec(path);
  if (level) return t('levelN', { n: Number(level[1]) + 1 });
  const FIELDS: Record<string, StringKey> = {
    queue_timeout: 'queue_timeout',
    agent_timeout: 'agent_timeout',
    customer_timeout: 'customer_timeout',
    'business_hours.timezone': 'timezone',
    business_hours: 'businessHours',
    expires_at: 'expiresAt',
    customer_uid: 'customerUid',
    mode: 'allocationMode',
    reception_mode: 'receptionMode',
    default_group_id: 'defaultGroup',
    max_queue_length: 'maxQueue',
    return_to_last_agent_minutes: 'returnToLast',
    queue_first_tags: 'queueFirstTags',
  };
  const key = FIELDS[path] ?? FIELDS[path.split('.')[0] ?? ''];
  return key ? t(key) : path;
}

/** One refused field as a sentence: its label and what is wrong, in the agent's language. */
export function fieldErrorText(t: Translate, f: FieldError): string {
  const what = t(known(f.message) ?? 'field_invalid');
  return f.path ? t('fieldError', { field: fieldLabel(t, f.path), what }) : what;
}

/** Why single sign-on failed (`#sso_error=<reason>` from the server, `exchange` from the console). */
export function ssoErrorText(t: Translate, reason: string): string {
  const key = `sso_${reason === 'exchange' ? 'invalid_ticket' : reason}`;
  return isStringKey(key) ? t(key) : t('ssoFailed');
}
