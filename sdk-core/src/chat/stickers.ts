// The built-in sticker pack: one definition for every UI that offers or draws stickers (web widget,
// mini-program, agent console). The pictures are SVG files the Kefu server serves at STICKER_PATH
// (sdk-web/stickers/<pack>/<id>.svg, copied next to the widget bundle by the build).
import type { kefu } from '@kefu/proto';
import type { CustomerLocale } from './strings.js';

export interface StickerDef {
  /** File name without `.svg`; lower-case letters, digits and `-`. */
  readonly id: string;
  /** Shown where the picture cannot be, and read by screen readers. */
  readonly alt: Readonly<Record<CustomerLocale, string>>;
}

export interface StickerPack {
  readonly id: string;
  readonly name: Readonly<Record<CustomerLocale, string>>;
  readonly stickers: readonly StickerDef[];
}

const s = (id: string, zh: string, en: string): StickerDef => ({ id, alt: { 'zh-CN': zh, en } });

export const KEFU_STICKER_PACK: StickerPack = {
  id: 'kefu',
  name: { 'zh-CN': '客服表情', en: 'Kefu stickers' },
  stickers: [
    s('thumbs-up', '点赞', 'Thumbs up'),
    s('ok', '好的', 'OK'),
    s('thanks', '谢谢', 'Thanks'),
    s('heart', '爱心', 'Heart'),
    s('smile', '微笑', 'Smile'),
    s('laugh', '大笑', 'Laugh'),
    s('cry', '哭泣', 'Crying'),
    s('surprised', '惊讶', 'Surprised'),
    s('thinking', '思考', 'Thinking'),
    s('clap', '鼓掌', 'Applause'),
    s('hello', '你好', 'Hello'),
    s('sorry', '抱歉', 'Sorry'),
    s('wait', '稍等', 'Please wait'),
    s('coffee', '咖啡', 'Coffee'),
    s('gift', '礼物', 'Gift'),
    s('star', '星星', 'Star'),
  ],
};

export const STICKER_PACKS: readonly StickerPack[] = [KEFU_STICKER_PACK];

/** Where the server serves a sticker: `/sdk/v1/stickers/kefu/<id>.svg`. */
export function stickerPath(pack: string, id: string): string {
  return `/sdk/v1/stickers/${encodeURIComponent(pack)}/${encodeURIComponent(id)}.svg`;
}

/** The sticker's absolute URL on the given Kefu server. */
export function stickerUrl(server: string, pack: string, id: string): string {
  return `${server.replace(/\/+$/, '')}${stickerPath(pack, id)}`;
}

export function findSticker(pack: string, id: string): StickerDef | undefined {
  return STICKER_PACKS.find((p) => p.id === pack)?.stickers.find((x) => x.id === id);
}

/** The Sticker content a picker sends: pack, id, the absolute URL and the alt text in the UI's language. */
export function stickerContent(
  server: string,
  pack: StickerPack,
  sticker: StickerDef,
  locale: CustomerLocale = 'zh-CN',
): kefu.v1.IContent {
  return {
    sticker: {
      pack: pack.id,
      stickerId: sticker.id,
      url: stickerUrl(server, pack.id, sticker.id),
      alt: sticker.alt[locale],
    },
  };
}
