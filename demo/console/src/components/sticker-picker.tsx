// The composer's sticker picker: the built-in pack (sdk-core's KEFU_STICKER_PACK, pictures served by the
// Kefu server at /sdk/v1/stickers/kefu/<id>.svg), sent as Sticker content with its alt text in the
// console's language.
import { KEFU_STICKER_PACK, stickerContent, stickerUrl } from '@kefu/sdk-core';
import type { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import type { Locale, Translate } from '../i18n/index.js';

export function StickerPicker({
  server,
  locale,
  t,
  onPick,
}: {
  server: string;
  locale: Locale;
  t: Translate;
  onPick: (content: kefu.v1.IContent) => void;
}): JSX.Element {
  const pack = KEFU_STICKER_PACK;
  return (
    <div class="sticker-picker" role="listbox" aria-label={t('stickers')}>
      {pack.stickers.map((s) => (
        <button
          type="button"
          key={s.id}
          data-sticker={s.id}
          title={s.alt[locale]}
          aria-label={s.alt[locale]}
          onClick={() => {
            onPick(stickerContent(server, pack, s, locale));
          }}
        >
          <img src={stickerUrl(server, pack.id, s.id)} alt={s.alt[locale]} loading="lazy" />
        </button>
      ))}
    </div>
  );
}
