// The composer's pickers: emoji (into the text), the built-in sticker pack (sent at once) and the
// customer's recent orders from the mall (sent as a card; the picture is not a link, see cards.tsx).
import { KEFU_STICKER_PACK, stickerPath } from '@kefu/sdk-core';
import { useEffect, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import { OrderCard } from './cards.js';
import type { Chat, OrderSummary } from './chat.js';
import { orderContent } from './chat.js';
import type { Strings } from './i18n.js';

const EMOJI =
  '😀 😁 😂 🤣 😊 😍 😘 😎 🤔 😅 😭 😡 😱 😴 🙄 😏 👍 👎 👏 🙏 💪 👌 ✌️ 🤝 ❤️ 💔 🎉 🎁 🔥 ⭐ ✅ ❌ ❓ ❗ 💯 🌹 ☕ 🍉 📦 🚚 💰 🧧 📱 💳 🕐 👀 🙂 😢'.split(
    ' ',
  );

export function EmojiPicker(props: { t: Strings; onPick: (emoji: string) => void }): JSX.Element {
  return (
    <div class="em" role="listbox" aria-label={props.t.emoji}>
      {EMOJI.map((e) => (
        <button
          type="button"
          key={e}
          aria-label={e}
          onClick={() => {
            props.onPick(e);
          }}
        >
          {e}
        </button>
      ))}
    </div>
  );
}

export function StickerPicker(props: { chat: Chat; t: Strings; onSent: () => void }): JSX.Element {
  const { chat, t } = props;
  const pack = KEFU_STICKER_PACK;
  return (
    <div class="kefu-stickers" role="group" aria-label={t.stickers} data-testid="sticker-picker">
      {pack.stickers.map((s) => (
        <button
          type="button"
          key={s.id}
          aria-label={s.alt[t.locale]}
          title={s.alt[t.locale]}
          data-sticker={s.id}
          onClick={() => {
            chat.sendSticker(pack, s, t.locale);
            props.onSent();
          }}
        >
          <img src={chat.absolute(stickerPath(pack.id, s.id))} alt="" loading="lazy" />
        </button>
      ))}
    </div>
  );
}

export function OrderPicker(props: { chat: Chat; t: Strings; onSent: () => void }): JSX.Element {
  const { chat, t } = props;
  const [orders, setOrders] = useState<OrderSummary[] | undefined>(undefined);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    chat.orders().then(setOrders, () => {
      setFailed(true);
    });
  }, [chat]);
  return (
    <div class="pk" aria-label={t.pickOrder} data-testid="order-picker">
      {failed
        ? t.failedLoad
        : !orders
          ? '…'
          : orders.length === 0
            ? t.ordersEmpty
            : orders.map((o) => {
                const content = orderContent(o);
                return (
                  <button
                    type="button"
                    key={o.order_no}
                    onClick={() => {
                      chat.send(content);
                      props.onSent();
                    }}
                  >
                    <OrderCard chat={chat} t={t} o={content.order ?? {}} link={false} />
                  </button>
                );
              })}
    </div>
  );
}
