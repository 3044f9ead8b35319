// Every content type of the wire contract (DESIGN.md §2), as the agent sees it.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { formatFileSize, orderTotalText, productPriceText, stickerUrl } from '@kefu/sdk-core';
import type { Api } from '../api.js';
import type { Locale, Translate } from '../i18n/index.js';
import { noticeText } from '../labels.js';

const { RatingScale, Solved } = kefu.v1;

interface Signed {
  url: string;
  thumb: string;
  until: number;
}
const signed = new Map<string, Signed>();

/** Uploads are served to participants only: <img> gets a short-lived signed URL (cached until expiry). */
async function mediaUrl(api: Api, uploadId: string, thumbnail: boolean): Promise<string> {
  let s = signed.get(uploadId);
  if (!s || s.until < Date.now()) {
    const body = await api.get<{ signed_url: string; signed_thumbnail_url?: string; expires_at?: number }>(
      `/uploads/${encodeURIComponent(uploadId)}/signed`,
    );
    s = {
      url: body.signed_url,
      thumb: body.signed_thumbnail_url ?? body.signed_url,
      until: Date.now() + 4 * 60_000,
    };
    signed.set(uploadId, s);
  }
  const path = thumbnail ? s.thumb : s.url;
  return /^https?:/.test(path) ? path : `${api.server}${path}`;
}

function Media({
  api,
  id,
  kind,
  t,
  name,
}: {
  api: Api;
  id: string;
  kind: 'img' | 'audio' | 'file';
  t: Translate;
  name?: string;
}) {
  const [src, setSrc] = useState<string>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    mediaUrl(api, id, kind === 'img').then(
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
  }, [id]);
  if (failed) return <span class="muted">{t('uploadFailed')}</span>;
  if (!src) return <span class="media-placeholder" />;
  // Voice clips are small server-converted MP3s: load their header so the controls show the length.
  if (kind === 'audio') return <audio controls preload="metadata" src={src} />;
  if (kind === 'file')
    return (
      <a class="download" href={src} download={name ?? ''} target="_blank" rel="noopener noreferrer">
        {t('download')}
      </a>
    );
  const open = (): void => {
    void mediaUrl(api, id, false).then((u) => window.open(u, '_blank', 'noopener'));
  };
  return <img class="media" src={src} alt={t('image')} loading="lazy" onClick={open} />;
}

/** A sticker's picture (its URL, or the built-in pack's on this server); its alt text if it cannot load. */
function Sticker({ api, t, s }: { api: Api; t: Translate; s: kefu.v1.ISticker }): JSX.Element {
  const [broken, setBroken] = useState(false);
  const url = s.url || (s.pack && s.stickerId ? stickerUrl(api.server, s.pack, s.stickerId) : '');
  const alt = s.alt || t('sticker');
  if (!url || broken) return <span class="sticker-alt">[{alt}]</span>;
  return (
    <img
      class="sticker"
      src={url}
      alt={alt}
      title={alt}
      onError={() => {
        setBroken(true);
      }}
    />
  );
}

function link(url: string | null | undefined, body: JSX.Element | string): JSX.Element | string {
  return url && /^https?:\/\//.test(url) ? (
    <a href={url} target="_blank" rel="noopener noreferrer">
      {body}
    </a>
  ) : (
    body
  );
}

export function Content({
  api,
  t,
  locale = 'zh-CN',
  content,
}: {
  api: Api;
  t: Translate;
  /** For the prices and totals of cards (sdk-core formats them per language). */
  locale?: Locale;
  content: kefu.v1.IContent;
}): JSX.Element {
  const c = content;
  if (c.text) return <div class="text">{c.text.text}</div>;
  if (c.image) return <Media api={api} t={t} kind="img" id={c.image.uploadId ?? ''} />;
  if (c.sticker) return <Sticker api={api} t={t} s={c.sticker} />;
  if (c.voice)
    return (
      <div class="voice">
        <Media api={api} t={t} kind="audio" id={c.voice.uploadId ?? ''} />
        <span class="muted">{Math.round((c.voice.durationMs ?? 0) / 1000)}″</span>
      </div>
    );
  if (c.file)
    return (
      <div class="card file-card" data-file={c.file.name ?? ''}>
        <span class="file-icon" aria-hidden="true">
          📄
        </span>
        <div>
          <div class="card-title">{c.file.name}</div>
          <div class="muted">
            {formatFileSize(c.file.sizeBytes ?? 0)}{' '}
            <Media api={api} t={t} kind="file" id={c.file.uploadId ?? ''} name={c.file.name ?? ''} />
          </div>
        </div>
      </div>
    );
  if (c.product)
    return (
      <div class="card product-card">
        {c.product.image ? <img src={c.product.image} alt="" /> : null}
        <div>
          <div class="card-title">{link(c.product.url, c.product.title ?? '')}</div>
          <div class="muted">{productPriceText(c.product, locale)}</div>
        </div>
      </div>
    );
  if (c.order)
    return (
      <div class="card order-card">
        <div class="card-title">
          {t('order')} {link(c.order.url, c.order.orderNo ?? '')}
        </div>
        <div class="muted">
          {[c.order.statusText, orderTotalText(c.order, locale)].filter(Boolean).join(' · ')}
        </div>
        <ul>
          {(c.order.items ?? []).map((i) => (
            <li key={i.name}>
              {i.name} × {i.qty}
            </li>
          ))}
        </ul>
      </div>
    );
  if (c.ratingInvite) return <div class="notice">{t('ratingInvite')}</div>;
  if (c.ratingResult) {
    const r = c.ratingResult;
    if (r.declined) return <div class="notice">{t('declined')}</div>;
    const scale =
      r.scale === RatingScale.RATING_SCALE_NPS
        ? '/10'
        : r.scale === RatingScale.RATING_SCALE_TWO_LEVEL
          ? ''
          : '/5';
    return (
      <div class="notice rating">
        {t('rating')}: {String(r.score ?? 0)}
        {scale} {(r.tags ?? []).join('、')} {r.comment ? `“${r.comment}”` : ''}{' '}
        {r.solved === Solved.SOLVED_YES ? t('solved') : r.solved === Solved.SOLVED_NO ? t('unsolved') : ''}
      </div>
    );
  }
  if (c.system)
    return (
      <div class="notice" data-code={c.system.code ?? ''}>
        {noticeText(t, c.system)}
      </div>
    );
  if (c.botReply)
    return (
      <div class="text bot">
        {c.botReply.text}
        {(c.botReply.sources ?? []).length > 0 ? (
          <ol class="sources">
            {(c.botReply.sources ?? []).map((s) => (
              <li key={s.title}>{link(s.url, s.title ?? '')}</li>
            ))}
          </ol>
        ) : null}
      </div>
    );
  if (c.call) return <div class="notice">[{t('call')}]</div>;
  return <div class="muted">—</div>;
}
