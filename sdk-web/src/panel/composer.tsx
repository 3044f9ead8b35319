// The message input with its tools: emoji, stickers, image, file, voice clip and "my orders"; the quote
// being replied to (with a cancel); Enter sends.
import { FILE_EXTENSIONS, KEFU_STICKER_PACK, describeQuote, fmt, stickerPath } from '@kefu/sdk-core';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat, ChatState } from './chat.js';
import { sendFiles } from './file-drop.js';
import type { Strings } from './i18n.js';
import { EmojiPicker, OrderPicker, StickerPicker } from './pickers.js';
import { RecordingBar, useVoiceRecorder } from './voice-recorder.js';

const FILE_ACCEPT = FILE_EXTENSIONS.map((e) => `.${e}`).join(',');

type Tool = '' | 'emoji' | 'stickers' | 'orders';

function QuoteBar({ chat, s, t }: { chat: Chat; s: ChatState; t: Strings }): JSX.Element | null {
  const q = describeQuote(s.quoteId, s.messages, t);
  if (!q) return null;
  return (
    <div class="kefu-quoting" data-testid="quoting">
      <span>
        {t.quote} {q.state === 'found' ? fmt(t.quoteLine, { author: q.author, text: q.snippet }) : q.snippet}
      </span>
      <button
        type="button"
        class="kefu-action"
        aria-label={t.cancelQuote}
        title={t.cancelQuote}
        onClick={() => {
          chat.quote(undefined);
        }}
      >
        ✕
      </button>
    </div>
  );
}

export function Composer(props: { chat: Chat; s: ChatState; t: Strings; disabled: boolean }): JSX.Element {
  const { chat, s, t, disabled } = props;
  const [text, setText] = useState('');
  const [tool, setTool] = useState<Tool>('');
  const input = useRef<HTMLTextAreaElement>(null);
  const image = useRef<HTMLInputElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const voice = useVoiceRecorder(chat, t);
  // Quoting a message puts the cursor where the reply goes.
  useEffect(() => {
    if (s.quoteId) input.current?.focus();
  }, [s.quoteId]);
  const send = (): void => {
    if (!text.trim()) return;
    chat.sendText(text);
    setText('');
    input.current?.focus();
  };
  const toggle = (which: Tool) => () => {
    setTool(tool === which ? '' : which);
  };
  const toolButton = (which: Tool, label: string, icon: string | JSX.Element): JSX.Element => (
    <button
      type="button"
      class="tb"
      aria-label={label}
      title={label}
      aria-expanded={tool === which}
      onClick={toggle(which)}
    >
      {icon}
    </button>
  );
  const fileInput = (ref: typeof image, accept: string, testid: string): JSX.Element => (
    <input
      ref={ref}
      type="file"
      accept={accept}
      class="vh"
      tabIndex={-1}
      aria-hidden="true"
      data-testid={testid}
      onChange={(e) => {
        sendFiles(chat, [...(e.currentTarget.files ?? [])]);
        e.currentTarget.value = '';
      }}
    />
  );
  return (
    <div class="cp">
      {tool === 'emoji' && (
        <EmojiPicker
          t={t}
          onPick={(e) => {
            setText(text + e);
            input.current?.focus();
          }}
        />
      )}
      {tool === 'stickers' && (
        <StickerPicker
          chat={chat}
          t={t}
          onSent={() => {
            setTool('');
          }}
        />
      )}
      {tool === 'orders' && (
        <OrderPicker
          chat={chat}
          t={t}
          onSent={() => {
            setTool('');
          }}
        />
      )}
      <div class="tbs">
        {toolButton('emoji', t.emoji, '😊')}
        {toolButton(
          'stickers',
          t.stickers,
          <img src={chat.absolute(stickerPath(KEFU_STICKER_PACK.id, 'smile'))} alt="" />,
        )}
        <button
          type="button"
          class="tb"
          aria-label={t.image}
          title={t.image}
          onClick={() => image.current?.click()}
        >
          🖼️
        </button>
        <button
          type="button"
          class="tb"
          aria-label={t.attachFile}
          title={t.attachFile}
          onClick={() => file.current?.click()}
        >
          📎
        </button>
        <button
          type="button"
          class={voice.phase === 'idle' ? 'tb' : 'tb on'}
          aria-label={t.recordVoice}
          title={t.recordVoice}
          aria-pressed={voice.phase !== 'idle'}
          disabled={disabled}
          data-testid="voice-button"
          {...voice.button}
        >
          🎤
        </button>
        <button type="button" class="tb t" aria-expanded={tool === 'orders'} onClick={toggle('orders')}>
          {t.orders}
        </button>
        {fileInput(image, 'image/*', 'image-input')}
        {fileInput(file, FILE_ACCEPT, 'file-input')}
      </div>
      {voice.error && (
        <div class="kefu-hint" role="alert" data-testid="voice-error">
          {voice.error}
        </div>
      )}
      <QuoteBar chat={chat} s={s} t={t} />
      {voice.phase === 'idle' ? (
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
      ) : (
        <RecordingBar t={t} voice={voice} />
      )}
    </div>
  );
}
