// The message input with its tools: emoji picker, image upload, "my orders" picker.
import { useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat, OrderSummary } from './chat.js';
import { orderContent } from './chat.js';
import { Content } from './content.js';
import type { Strings } from './i18n.js';

const EMOJI =
  '😀 😁 😂 🤣 😊 😍 😘 😎 🤔 😅 😭 😡 😱 😴 🙄 😏 👍 👎 👏 🙏 💪 👌 ✌️ 🤝 ❤️ 💔 🎉 🎁 🔥 ⭐ ✅ ❌ ❓ ❗ 💯 🌹 ☕ 🍉 📦 🚚 💰 🧧 📱 💳 🕐 👀 🙂 😢'.split(
    ' ',
  );

export function Composer({ chat, t, disabled }: { chat: Chat; t: Strings; disabled: boolean }): JSX.Element {
  const [text, setText] = useState('');
  const [tool, setTool] = useState<'' | 'emoji' | 'orders'>('');
  const [orders, setOrders] = useState<OrderSummary[] | undefined>(undefined);
  const [ordersError, setOrdersError] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const send = (): void => {
    if (!text.trim()) return;
    chat.sendText(text);
    setText('');
    input.current?.focus();
  };
  const toggleOrders = (): void => {
    if (tool === 'orders') {
      setTool('');
      return;
    }
    setTool('orders');
    setOrdersError(false);
    chat.orders().then(setOrders, () => {
      setOrdersError(true);
    });
  };
  return (
    <div class="cp">
      {tool === 'emoji' && (
        <div class="em" role="listbox" aria-label={t.emoji}>
          {EMOJI.map((e) => (
            <button
              type="button"
              key={e}
              aria-label={e}
              onClick={() => {
                setText(text + e);
                input.current?.focus();
              }}
            >
              {e}
            </button>
          ))}
        </div>
      )}
      {tool === 'orders' && (
        <div class="pk" aria-label={t.pickOrder} data-testid="order-picker">
          {ordersError
            ? t.failedLoad
            : !orders
              ? '…'
              : orders.length === 0
                ? t.ordersEmpty
                : orders.map((o) => (
                    <button
                      type="button"
                      key={o.order_no}
                      onClick={() => {
                        chat.send(orderContent(o));
                        setTool('');
                      }}
                    >
                      <Content chat={chat} t={t} content={orderContent(o)} />
                    </button>
                  ))}
        </div>
      )}
      <div class="tbs">
        <button
          type="button"
          class="tb"
          aria-label={t.emoji}
          title={t.emoji}
          aria-expanded={tool === 'emoji'}
          onClick={() => {
            setTool(tool === 'emoji' ? '' : 'emoji');
          }}
        >
          😊
        </button>
        <button
          type="button"
          class="tb"
          aria-label={t.image}
          title={t.image}
          onClick={() => file.current?.click()}
        >
          🖼️
        </button>
        <button type="button" class="tb t" aria-expanded={tool === 'orders'} onClick={toggleOrders}>
          {t.orders}
        </button>
        <input
          ref={file}
          type="file"
          accept="image/*"
          class="vh"
          tabIndex={-1}
          aria-hidden="true"
          data-testid="image-input"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            if (f) void chat.sendImage(f);
            e.currentTarget.value = '';
          }}
        />
      </div>
      <div class="in">
        <textarea
          ref={input}
          rows={1}
          aria-label={t.placeholder}
          placeholder={t.placeholder}
          value={text}
          disabled={disabled}
          maxLength={5000}
          onInput={(e) => {
            setText(e.currentTarget.value);
            chat.typing(true);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
        <button type="button" class="btn" disabled={disabled || !text.trim()} onClick={send}>
          {t.send}
        </button>
      </div>
    </div>
  );
}
