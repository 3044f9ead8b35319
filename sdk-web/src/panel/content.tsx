// One message's content as it is drawn in the list (and in the order picker).
import { kefu } from '@kefu/proto';
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat } from './chat.js';
import { fmt, type Strings } from './i18n.js';

const { RatingScale } = kefu.v1;

const yuan = (fen: number): string => (fen / 100).toFixed(2);

function Media({
  chat,
  id,
  url,
  thumb,
  kind,
  t,
}: {
  chat: Chat;
  id: string;
  url: string;
  thumb: boolean;
  kind: 'img' | 'audio' | 'a';
  t: Strings;
}): JSX.Element {
  const [src, setSrc] = useState<string | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    const load = id ? chat.mediaUrl(id, thumb) : Promise.resolve(chat.absolute(url));
    load.then(
      (u) => {
        if (live) setSrc(u);
      },
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [id, url]);
  if (failed) return <span>{t.failedLoad}</span>;
  // Voice clips are small server-converted MP3s: load their header so the controls show the length.
  if (kind === 'audio') return <audio controls src={src} preload="metadata" />;
  if (kind === 'a')
    return (
      <a href={src} target="_blank" rel="noopener noreferrer">
        {url}
      </a>
    );
  const open = (): void => {
    void chat.mediaUrl(id, false).then((u) => window.open(u, '_blank', 'noopener'));
  };
  return <img class="im" src={src} alt={t.image} onClick={open} />;
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
  if (content.text) return <div class="bb">{content.text.text}</div>;
  if (content.image)
    return (
      <Media
        chat={chat}
        t={t}
        kind="img"
        id={content.image.uploadId ?? ''}
        url={content.image.thumbnailUrl || content.image.url || ''}
        thumb
      />
    );
  if (content.sticker)
    return content.sticker.url ? (
      <img class="im" src={chat.absolute(content.sticker.url)} alt={content.sticker.alt ?? ''} />
    ) : (
      <div class="bb">{content.sticker.alt}</div>
    );
  if (content.voice)
    return (
      <Media
        chat={chat}
        t={t}
        kind="audio"
        id={content.voice.uploadId ?? ''}
        url={content.voice.url ?? ''}
        thumb={false}
      />
    );
  if (content.file)
    return (
      <div class="bb">
        📎 {content.file.name}{' '}
        <Media chat={chat} t={t} kind="a" id={content.file.uploadId ?? ''} url={t.file} thumb={false} />
      </div>
    );
  if (content.product) {
    const p = content.product;
    return (
      <a
        class="bb cd"
        href={p.url || undefined}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="product-card"
      >
        {p.image && <img src={chat.absolute(p.image)} alt="" />}
        <span>
          <b>{p.title}</b>
          <span class="lb">
            {p.label || (p.points ? `${String(p.points)} 积分` : p.priceFen ? `¥${yuan(p.priceFen)}` : '')}
          </span>
        </span>
      </a>
    );
  }
  if (content.order) {
    const o = content.order;
    const items = o.items ?? [];
    return (
      <a
        class="bb cd oc"
        style="display:block"
        href={o.url || undefined}
        target="_blank"
        rel="noopener noreferrer"
        data-testid="order-card"
      >
        <span class="ohd">
          <span>
            {t.order} {o.orderNo}
          </span>
          <span class="ost">{o.statusText || t.orderStatus[o.status ?? 0]}</span>
        </span>
        <span class="gs">
          {items.slice(0, 4).map((g, i) => (
            <img key={i} src={chat.absolute(g.image ?? '')} alt={g.name ?? ''} />
          ))}
        </span>
        <span class="sub">
          {items[0]?.name} · {fmt(t.goodsCount, { n: o.goodsCount || items.length })} ·{' '}
          {fmt(t.total, { v: yuan(o.totalFen ?? 0) })}
        </span>
      </a>
    );
  }
  if (content.botReply) {
    const b = content.botReply;
    return (
      <div class="bb bot">
        {b.text}
        {(b.sources ?? []).length > 0 && (
          <div class="src">
            {t.sources}:
            {(b.sources ?? []).map((src, i) => (
              <a key={i} href={src.url || undefined} target="_blank" rel="noopener noreferrer">
                {src.title}
              </a>
            ))}
          </div>
        )}
        {(b.suggestions ?? []).length > 0 && (
          <div class="sg">
            {(b.suggestions ?? []).map((q) => (
              <button
                type="button"
                key={q}
                onClick={() => {
                  chat.sendText(q);
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
  if (content.ratingResult) {
    const r = content.ratingResult;
    return (
      <div class="bb">
        {r.declined
          ? t.rateDecline
          : `${t.rateThanks} ${r.scale === RatingScale.RATING_SCALE_FIVE_STAR ? '★'.repeat(r.score ?? 0) : String(r.score ?? 0)}`}
      </div>
    );
  }
  if (content.ratingInvite) return <div class="bb">{t.rateTitle}</div>;
  if (content.call) return <div class="bb">{t.call}</div>;
  return <div class="bb">{t.notSupported}</div>;
}
