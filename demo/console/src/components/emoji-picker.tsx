// The composer's emoji picker: a short list of the emoji agents use most; a click inserts one.
import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.js';

const EMOJI =
  '😀😁😂🙂😊😉😍😘😎🤔😅😭😢😡👍👎👏🙏💪🎉❤️💔🌹🎁📦🚚✅❌⭐🔥'.match(
    /\p{Extended_Pictographic}\uFE0F?/gu,
  ) ?? [];

export function EmojiPicker({ t, onPick }: { t: Translate; onPick: (emoji: string) => void }): JSX.Element {
  return (
    <div class="emoji-picker" role="listbox" aria-label={t('emoji')}>
      {EMOJI.map((e) => (
        <button
          type="button"
          key={e}
          onClick={() => {
            onPick(e);
          }}
        >
          {e}
        </button>
      ))}
    </div>
  );
}
