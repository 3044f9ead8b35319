// Product and order cards. In the message list they link to the mall's page; in the order picker the
// card is only a picture of the order inside the pick button (a link there would open the page too).
import type { kefu } from '@kefu/proto';
import { orderTotalText, productPriceText } from '@kefu/sdk-core';
import type { JSX } from 'preact';
import type { Chat } from './chat.js';
import { fmt, type Strings } from './i18n.js';

/** An `<a>` to the page in the list; a `<span>` where the card is part of a button. */
function CardBox(props: {
  url: string | null | undefined;
  link: boolean;
  class: string;
  testid: string;
  children: JSX.Element[];
}): JSX.Element {
  if (props.link)
    return (
      <a
        class={props.class}
        href={props.url || undefined}
        target="_blank"
        rel="noopener noreferrer"
        data-testid={props.testid}
      >
        {props.children}
      </a>
    );
  return (
    <span class={props.class} data-testid={`${props.testid}-preview`}>
      {props.children}
    </span>
  );
}

export function ProductCard(props: { chat: Chat; t: Strings; p: kefu.v1.IProductCard }): JSX.Element {
  const { chat, t, p } = props;
  return (
    <CardBox url={p.url} link class="bb cd" testid="product-card">
      {p.image ? <img src={chat.absolute(p.image)} alt="" /> : <span />}
      <span>
        <b>{p.title}</b>
        <span class="lb">{productPriceText(p, t.locale)}</span>
      </span>
    </CardBox>
  );
}

export function OrderCard(props: {
  chat: Chat;
  t: Strings;
  o: kefu.v1.IOrderCard;
  /** False in the order picker. */
  link?: boolean;
}): JSX.Element {
  const { chat, t, o } = props;
  const items = o.items ?? [];
  const total = orderTotalText(o, t.locale);
  return (
    <CardBox url={o.url} link={props.link !== false} class="bb cd oc" testid="order-card">
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
        {[items[0]?.name, fmt(t.goodsCount, { n: o.goodsCount || items.length }), total]
          .filter(Boolean)
          .join(' · ')}
      </span>
    </CardBox>
  );
}
