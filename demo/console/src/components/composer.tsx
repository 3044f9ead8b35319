// Writing to the customer: text with emoji, stickers, quick replies on "/", a quoted reply, images (attach, paste),
// documents, voice clips, and internal notes that only agents see. One composer per conversation (the
// chat pane keys it by id); unsent text is kept per conversation while the console is open.
import type { JSX } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { useStore } from '../store.js';
import { sendFiles, sendVoice } from '../uploads.js';
import type { Workbench } from '../workbench.js';
import { EmojiPicker } from './emoji-picker.js';
import { StickerPicker } from './sticker-picker.js';
import { QuoteBar } from './quote.js';
import { QuickReplyPicker, useQuickReplies } from './quick-reply-picker.js';
import { UploadList } from './upload-list.js';
import { VoiceButton } from './voice-recorder.js';

/** Unsent text by conversation: switching conversations (Alt+↑/↓) must not carry a draft along. */
const drafts = new Map<string, string>();

/** Files of a paste or a drop (a copied screenshot arrives as an image file). */
export function filesOf(data: DataTransfer | null): File[] {
  return Array.from(data?.files ?? []);
}

export function Composer({ wb, id, t }: { wb: Workbench; id: string; t: Translate }): JSX.Element {
  const [text, setTextState] = useState(drafts.get(id) ?? '');
  const note = useStore(wb.store, (s) => s.noteMode);
  const quote = useStore(wb.store, (s) => s.quotes[id]);
  const [picker, setPicker] = useState<'emoji' | 'sticker'>();
  const input = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);
  const quick = useQuickReplies(wb.api, text);

  const setText = (value: string): void => {
    drafts.set(id, value);
    setTextState(value);
  };

  const submit = (): void => {
    const body = text.trim();
    if (!body) return;
    void wb.send(id, { text: { text: body } }, { internalNote: note, quoteMessageId: quote });
    if (quote) wb.setQuote(id, undefined);
    setText('');
    void wb.client.typing(id, false).catch(() => undefined);
  };

  const onKey = (e: KeyboardEvent): void => {
    if (quick.onKey(e, setText)) return;
    if (e.key === 'Escape' && quote) {
      e.stopPropagation();
      wb.setQuote(id, undefined);
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  };

  const onInput = (value: string): void => {
    setText(value);
    if (note || Date.now() - lastTyping.current < 3_000) return;
    lastTyping.current = Date.now();
    void wb.client.typing(id, true).catch(() => undefined);
  };

  const onPaste = (e: ClipboardEvent): void => {
    const files = filesOf(e.clipboardData);
    if (files.length === 0) return;
    e.preventDefault();
    sendFiles(wb, id, files);
  };

  const toggle = (which: 'emoji' | 'sticker', label: string, icon: string): JSX.Element => (
    <button
      type="button"
      class={`picker-${which}`}
      aria-label={label}
      title={label}
      aria-expanded={picker === which}
      onClick={() => {
        setPicker(picker === which ? undefined : which);
      }}
    >
      {icon}
    </button>
  );

  const filePicker = (accept: string | undefined, label: string, icon: string): JSX.Element => (
    <label class="button" aria-label={label} title={label}>
      {icon}
      <input
        type="file"
        accept={accept}
        multiple
        hidden
        data-kind={accept ? 'image' : 'file'}
        onChange={(e) => {
          const el = e.target as HTMLInputElement;
          sendFiles(wb, id, Array.from(el.files ?? []));
          el.value = '';
        }}
      />
    </label>
  );

  return (
    <div class={`composer${note ? ' noting' : ''}`}>
      <UploadList wb={wb} id={id} t={t} />
      <QuickReplyPicker t={t} state={quick} onTake={setText} />
      {picker === 'emoji' ? (
        <EmojiPicker
          t={t}
          onPick={(e) => {
            setText(text + e);
            setPicker(undefined);
            input.current?.focus();
          }}
        />
      ) : null}
      {picker === 'sticker' ? (
        <StickerPicker
          server={wb.api.server}
          locale={wb.locale}
          t={t}
          onPick={(content) => {
            setPicker(undefined);
            void wb.send(id, content, { internalNote: note, quoteMessageId: quote });
            if (quote) wb.setQuote(id, undefined);
          }}
        />
      ) : null}
      <div class="tools">
        {toggle('emoji', t('emoji'), '😊')}
        {toggle('sticker', t('stickers'), '🐱')}
        {filePicker('image/*', t('image'), '🖼')}
        {filePicker(undefined, t('attachFile'), '📎')}
        <VoiceButton
          t={t}
          disabled={false}
          onClip={(clip, ms) => {
            sendVoice(wb, id, clip, ms);
          }}
        />
        <label class="note-toggle">
          <input
            type="checkbox"
            checked={note}
            onChange={(e) => {
              wb.store.set({ noteMode: (e.target as HTMLInputElement).checked });
            }}
          />{' '}
          {t('internalNote')}
        </label>
      </div>
      <QuoteBar wb={wb} id={id} t={t} />
      <textarea
        ref={input}
        value={text}
        placeholder={note ? t('notePlaceholder') : t('placeholder')}
        onInput={(e) => {
          onInput((e.target as HTMLTextAreaElement).value);
        }}
        onKeyDown={onKey}
        onPaste={onPaste}
        aria-label={t('placeholder')}
      />
      <button type="button" class="primary send" disabled={!text.trim()} onClick={submit}>
        {t('send')}
      </button>
    </div>
  );
}
