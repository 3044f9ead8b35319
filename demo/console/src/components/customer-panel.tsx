// The customer panel: profile (masked unless the agent may see PII; a reveal is audited by the server),
// the customer's orders and products from the mall with deep links and "send as card", and their
// earlier conversations.
import type { kefu } from '@kefu/proto';
import { formatPrice, orderContent, productContent } from '@kefu/sdk-core';
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { codeLabel } from '../labels.js';
import { localizePreview } from '../preview.js';
import type { ConversationSummary, Customer, MallOrder, MallProduct } from '../types.js';
import type { Workbench } from '../workbench.js';
import { ErrorMessage } from './error-message.js';

/** The card of a mall order or product as the widget builds it too (sdk-core), with the agent's deep link. */
const orderCard = (o: MallOrder): kefu.v1.IContent => orderContent({ ...o, url: o.detail_url ?? o.url });
const productCard = (p: MallProduct): kefu.v1.IContent =>
  productContent({
    id: p.id,
    title: p.title,
    label: p.label,
    image: p.image_url,
    url: p.detail_url ?? p.url,
    points: p.points ?? undefined,
    price_fen: p.price_fen ?? undefined,
  });

export function CustomerPanel({
  wb,
  c,
  t,
}: {
  wb: Workbench;
  c: ConversationSummary;
  t: Translate;
}): JSX.Element {
  const uid = c.customer.uid;
  const [customer, setCustomer] = useState<Customer>();
  const [revealed, setRevealed] = useState<Partial<Customer>>();
  const [mall, setMall] = useState<{ orders: MallOrder[]; recent_products: MallProduct[] }>();
  const [earlier, setEarlier] = useState<ConversationSummary[]>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setRevealed(undefined);
    setError(undefined);
    const enc = encodeURIComponent(uid);
    let live = true;
    // After the thread's first page: that is what the agent waits for.
    void wb.threadShown(c.id).then(() => {
      if (!live) return;
      void wb.api.get<Customer>(`/agent/customers/${enc}`).then(setCustomer, (e: unknown) => {
        setError(e);
      });
      void wb.api
        .get<{ orders: MallOrder[]; recent_products: MallProduct[] }>(`/agent/customers/${enc}/mall`)
        .then(setMall, () => {
          setMall({ orders: [], recent_products: [] });
        });
      void wb.api.get<{ conversations: ConversationSummary[] }>(`/agent/customers/${enc}/conversations`).then(
        (b) => {
          setEarlier(b.conversations.filter((x) => x.id !== c.id));
        },
        () => {
          setEarlier([]);
        },
      );
    });
    return () => {
      live = false;
    };
  }, [uid]);

  const mayReveal = wb.me.perms.includes('pii:view');
  const reveal = (): void => {
    void wb.api
      .send<Partial<Customer>>('POST', `/agent/customers/${encodeURIComponent(uid)}/reveal`, {
        fields: ['name', 'phone', 'points'],
      })
      .then(setRevealed, (e: unknown) => {
        setError(e);
      });
  };
  const shown = { ...customer, ...revealed };
  const open = c.status === 'open';
  return (
    <aside class="customer-panel" aria-label={t('customer')}>
      <h3>{t('customer')}</h3>
      <ErrorMessage t={t} error={error} />
      <dl>
        <dt>{t('name')}</dt>
        <dd data-field="name">{shown.name ?? c.customer.name}</dd>
        <dt>{t('phone')}</dt>
        <dd data-field="phone">{shown.phone ?? '—'}</dd>
        <dt>{t('points')}</dt>
        <dd data-field="points">{shown.points ?? '—'}</dd>
        <dt>{t('level')}</dt>
        <dd>
          {shown.level ?? '—'} {shown.vip ? <span class="badge vip">{t('vip')}</span> : null}
        </dd>
        <dt>{t('tags')}</dt>
        <dd>
          {(shown.tags ?? []).map((x) => (
            <span class="tag" key={x}>
              {x}
            </span>
          ))}
        </dd>
        <dt>{t('channel')}</dt>
        <dd data-field="channel">{codeLabel(t, 'channel', shown.channel ?? c.channel)}</dd>
        <dt>{t('entryPage')}</dt>
        <dd>
          {shown.entry_url ? (
            <a href={shown.entry_url} target="_blank" rel="noopener noreferrer">
              {shown.entry_title || shown.entry_url}
            </a>
          ) : (
            '—'
          )}
        </dd>
      </dl>
      {mayReveal && customer?.masked !== false ? (
        revealed ? (
          <p class="muted">{t('revealed')}</p>
        ) : (
          <button type="button" onClick={reveal}>
            {t('reveal')}
          </button>
        )
      ) : null}
      <h4>{t('orders')}</h4>
      <ul class="mall-list">
        {(mall?.orders ?? []).map((o) => (
          <li key={o.order_no}>
            <a href={o.detail_url ?? o.url} target="_blank" rel="noopener noreferrer" title={t('openInMall')}>
              {o.order_no}
            </a>{' '}
            <span class="muted">
              {o.status_text} {formatPrice(o.total_fen, o.total_points, wb.locale)}
            </span>
            <button
              type="button"
              class="small"
              disabled={!open}
              onClick={() => void wb.send(c.id, orderCard(o))}
            >
              {t('sendCard')}
            </button>
          </li>
        ))}
      </ul>
      <h4>{t('products')}</h4>
      <ul class="mall-list">
        {(mall?.recent_products ?? []).map((p) => (
          <li key={p.id}>
            <a href={p.detail_url ?? p.url} target="_blank" rel="noopener noreferrer" title={t('openInMall')}>
              {p.title}
            </a>
            <button
              type="button"
              class="small"
              disabled={!open}
              onClick={() => void wb.send(c.id, productCard(p))}
            >
              {t('sendCard')}
            </button>
          </li>
        ))}
      </ul>
      <h4>{t('history')}</h4>
      {earlier && earlier.length === 0 ? <p class="muted">{t('noHistory')}</p> : null}
      <ul class="history-list">
        {(earlier ?? []).map((x) => (
          <li key={x.id}>
            <button type="button" class="link" onClick={() => void wb.select(x.id, x)}>
              {new Date(x.created_at).toLocaleString()} · {codeLabel(t, 'status', x.status)}
              {x.last_message ? ` · ${localizePreview(t, x.last_message.preview)}` : ''}
            </button>
          </li>
        ))}
      </ul>
    </aside>
  );
}
