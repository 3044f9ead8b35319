// One message's content as it is drawn in the list: text, sticker, image, voice clip, file, product and
// order cards, bot replies, rating results.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import { OrderCard, ProductCard } from './cards.js';
import type { Chat } from './chat.js';
import type { Strings } from './i18n.js';
import { FileView, ImageView, VoiceView } from './media.js';

const { RatingScale } = kefu.v1;

function BotReply({ chat, t, b }: { chat: Chat; t: Strings; b: kefu.v1.IBotReply }): JSX.Element {
  const sources = b.sources ?? [];
  const suggestions = b.suggestions ?? [];
  return (
    <div class="bb bot">
      {b.text}
      {sources.length > 0 && (
        <div class="src">
          {t.sources}:
          {sources.map((src, i) => (
            <a key={i} href={src.url || undefined} target="_blank" rel="noopener noreferrer">
              {src.title}
            </a>
          ))}
        </div>
      )}
      {suggestions.length > 0 && (
        <div class="sg">
          {suggestions.map((q) => (
            <button
              type="button"
              key={q}
              onClick={() => {
                // A plain question: it does not use up a quote the composer shows.
                chat.send({ text: { text: q } });
              }}
            >
              {q}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

export function Content({
  chat,
  t,
  content,
}: {
  chat: Chat;
  t: Strings;
  content: kefu.v1.IContent;
}): JSX.Element {
  const c = content;
  if (c.text) return <div class="bb">{c.text.text}</div>;
  if (c.image) return <ImageView chat={chat} t={t} image={c.image} />;
  if (c.sticker)
    return c.sticker.url ? (
      <img
        class="kefu-sticker"
        src={chat.absolute(c.sticker.url)}
        alt={c.sticker.alt ?? ''}
        title={c.sticker.alt ?? ''}
        data-testid="sticker"
      />
    ) : (
      <div class="bb">{c.sticker.alt}</div>
    );
  if (c.voice) return <VoiceView chat={chat} t={t} voice={c.voice} />;
  if (c.file) return <FileView chat={chat} t={t} file={c.file} />;
  if (c.product) return <ProductCard chat={chat} t={t} p={c.product} />;
  if (c.order) return <OrderCard chat={chat} t={t} o={c.order} />;
  if (c.botReply) return <BotReply chat={chat} t={t} b={c.botReply} />;
  if (c.ratingResult) {
    const r = c.ratingResult;
    const score =
      r.scale === RatingScale.RATING_SCALE_FIVE_STAR ? '★'.repeat(r.score ?? 0) : String(r.score ?? 0);
    return <div class="bb">{r.declined ? t.rateDecline : `${t.rateThanks} ${score}`}</div>;
  }
  if (c.ratingInvite) return <div class="bb">{t.rateTitle}</div>;
  if (c.call) return <div class="bb">{t.call}</div>;
  return <div class="bb">{t.notSupported}</div>;
}
