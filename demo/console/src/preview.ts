// The one-line preview of a message in the conversation list. The server stores the same line
// (server/src/service/workbench/activity.ts `previewOf`) and lists answer with it, so the live preview is
// built exactly like the stored one — in zh-CN — and both are translated for display by their leading
// label (`[订单] 202412060001` → `[Order] 202412060001`).
import { contentKind, type kefu } from '@kefu/proto';
import type { StringKey, Translate } from './i18n/index.js';

/** The stored labels (zh-CN, as the server writes them) and the text key each is shown with. */
const LABELS = {
  sticker: ['[表情]', 'pv_sticker'],
  image: ['[图片]', 'pv_image'],
  voice: ['[语音]', 'pv_voice'],
  file: ['[文件]', 'pv_file'],
  product: ['[商品]', 'pv_product'],
  order: ['[订单]', 'pv_order'],
  ratingInvite: ['[评价邀请]', 'pv_ratingInvite'],
  ratingResult: ['[评价]', 'pv_rating'],
  system: ['[系统消息]', 'pv_system'],
  botReply: ['[机器人回复]', 'pv_botReply'],
  call: ['[通话]', 'pv_call'],
  message: ['[消息]', 'pv_message'],
} as const satisfies Record<string, readonly [string, StringKey]>;

export const RECALLED_PREVIEW = '[已撤回]';
const NOTE_PREFIX = '[内部备注] ';
/** Every stored label (and the two markers) → its text key, for translating stored previews. */
const BY_LABEL = new Map<string, StringKey>([
  ...Object.values(LABELS).map(([label, key]): [string, StringKey] => [label, key]),
  [RECALLED_PREVIEW, 'pv_recalled'],
  [NOTE_PREFIX.trim(), 'pv_note'],
]);

const PREVIEW_CHARS = 80;
const NAME_CHARS = 60;
const oneLine = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
/** The first n characters (code points, not UTF-16 units: emoji stay whole). */
const cut = (s: string, n: number): string => Array.from(s).slice(0, n).join('');

/** The plain text the server keeps of each kind (its `validateContent`; notices and bot replies: text). */
function textOf(c: kefu.v1.IContent): string {
  return (
    c.text?.text ??
    c.sticker?.alt ??
    c.file?.name ??
    c.product?.title ??
    c.order?.orderNo ??
    c.system?.text ??
    c.botReply?.text ??
    ''
  );
}

/** The preview as the server stores it: `null` content is a recalled message. */
export function storedPreview(c: kefu.v1.IContent | null | undefined, internalNote = false): string {
  if (!c) return RECALLED_PREVIEW;
  const kind = contentKind(c);
  const line = oneLine(textOf(c));
  let preview: string;
  if ((kind === 'text' || kind === 'system' || kind === 'botReply') && line) {
    preview = cut(line, PREVIEW_CHARS);
  } else {
    const label: string = (kind && kind !== 'text' ? LABELS[kind] : LABELS.message)[0];
    const ms = c.voice?.durationMs ?? 0;
    if (kind === 'voice' && ms > 0) preview = `${label} ${String(Math.max(1, Math.round(ms / 1000)))}″`;
    else if ((kind === 'file' || kind === 'product' || kind === 'order' || kind === 'sticker') && line)
      preview = `${label} ${cut(line, NAME_CHARS)}`;
    else preview = label;
  }
  return internalNote ? NOTE_PREFIX + preview : preview;
}

/** A stored preview in the agent's language: its leading labels translated, the rest as it is. */
export function localizePreview(t: Translate, preview: string): string {
  let rest = preview;
  let out = '';
  // At most two labels lead: "[内部备注] [图片]".
  for (let i = 0; i < 2; i++) {
    const m = /^(\[[^\]]+\])( ?)/.exec(rest);
    const key = m?.[1] ? BY_LABEL.get(m[1]) : undefined;
    if (!m || !key) break;
    out += t(key) + (m[2] ?? '');
    rest = rest.slice(m[0].length);
  }
  return out + rest;
}

/** The preview line for a message, in the agent's language (notifications, quotes). */
export function previewText(t: Translate, c: kefu.v1.IContent | null | undefined): string {
  return localizePreview(t, storedPreview(c));
}
