// Writing to the customer: text with emoji, images (downscaled, progress, retry), quick replies on "/",
// and internal notes that only agents see.
import { downscaleImage, imageContent, uploadWithProgress } from '@kefu/sdk-web/agent';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { query } from '../api.js';
import type { Translate } from '../i18n/index.js';
import type { QuickReply } from '../types.js';
import type { Workbench } from '../workbench.js';

const EMOJI =
  '😀😁😂🙂😊😉😍😘😎🤔😅😭😢😡👍👎👏🙏💪🎉❤️💔🌹🎁📦🚚✅❌⭐🔥'.match(
    /\p{Extended_Pictographic}\uFE0F?/gu,
  ) ?? [];

interface Upload {
  id: string;
  file: Blob;
  progress: number;
  failed: boolean;
}

export function Composer({
  wb,
  id,
  t,
  disabled,
}: {
  wb: Workbench;
  id: string;
  t: Translate;
  disabled: boolean;
}): JSX.Element {
  const [text, setText] = useState('');
  const [note, setNote] = useState(false);
  const [emoji, setEmoji] = useState(false);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [replies, setReplies] = useState<QuickReply[] | undefined>();
  const [pick, setPick] = useState(0);
  const input = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);

  // Quick replies: "/" at the start opens the picker, the rest of the word searches.
  const slash = /^\/(\S*)$/.exec(text);
  useEffect(() => {
    if (!slash) {
      setReplies(undefined);
      return;
    }
    let live = true;
    wb.api.get<{ quick_replies: QuickReply[] }>(`/agent/quick-replies${query({ q: slash[1] })}`).then(
      (b) => {
        if (live) {
          setReplies(b.quick_replies.slice(0, 8));
          setPick(0);
        }
      },
      () => {
        if (live) setReplies([]);
      },
    );
    return () => {
      live = false;
    };
  }, [slash?.[1]]);

  const submit = (): void => {
    const body = text.trim();
    if (!body || disabled) return;
    void wb.send(id, { text: { text: body } }, note);
    setText('');
    void wb.client.typing(id, false).catch(() => undefined);
  };

  const onKey = (e: KeyboardEvent): void => {
    if (replies && replies.length > 0) {
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        setPick((p) => (p + (e.key === 'ArrowDown' ? 1 : replies.length - 1)) % replies.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        setText(replies[pick]?.text ?? text);
        setReplies(undefined);
        return;
      }
      if (e.key === 'Escape') {
        setReplies(undefined);
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
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

  const upload = async (u: Upload): Promise<void> => {
    const update = (patch: Partial<Upload>): void => {
      setUploads((list) => list.map((x) => (x.id === u.id ? { ...x, ...patch } : x)));
    };
    try {
      const small = await downscaleImage(u.file, 1600);
      const res = await uploadWithProgress(
        `${wb.api.server}/api/v1/uploads${query({ conversation_id: id, kind: 'image' })}`,
        await wb.api.token(),
        small,
        (p) => {
          update({ progress: p });
        },
      );
      setUploads((list) => list.filter((x) => x.id !== u.id));
      await wb.send(id, imageContent(res), note);
    } catch {
      update({ failed: true });
    }
  };

  const onFiles = (files: FileList | null): void => {
    for (const file of Array.from(files ?? [])) {
      const u: Upload = { id: wb.client.newId(), file, progress: 0, failed: false };
      setUploads((list) => [...list, u]);
      void upload(u);
    }
  };

  return (
    <div class={`composer${note ? ' noting' : ''}`}>
      {uploads.map((u) => (
        <div class="upload" key={u.id}>
          {u.failed ? (
            <>
              {t('uploadFailed')}{' '}
              <button type="button" class="link" onClick={() => void upload({ ...u, failed: false })}>
                {t('retry')}
              </button>
            </>
          ) : (
            t('uploading', { p: Math.round(u.progress * 100) })
          )}
        </div>
      ))}
      {replies ? (
        <ul class="quick-replies" role="listbox" aria-label={t('quickReplies')}>
          {replies.length === 0 ? <li class="muted">{t('noQuickReplies')}</li> : null}
          {replies.map((r, i) => (
            <li
              key={r.id}
              role="option"
              aria-selected={i === pick}
              class={i === pick ? 'picked' : ''}
              onMouseDown={(e) => {
                e.preventDefault();
                setText(r.text);
                setReplies(undefined);
              }}
            >
              <b>/{r.shortcut}</b> {r.title}{' '}
              <span class="tag">{r.scope === 'team' ? t('team') : t('personal')}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {emoji ? (
        <div class="emoji-picker" role="listbox" aria-label={t('emoji')}>
          {EMOJI.map((e) => (
            <button
              type="button"
              key={e}
              onClick={() => {
                setText((x) => x + e);
                setEmoji(false);
                input.current?.focus();
              }}
            >
              {e}
            </button>
          ))}
        </div>
      ) : null}
      <div class="tools">
        <button
          type="button"
          aria-label={t('emoji')}
          onClick={() => {
            setEmoji(!emoji);
          }}
        >
          😊
        </button>
        <label class="button" aria-label={t('image')}>
          🖼
          <input
            type="file"
            accept="image/*"
            multiple
            hidden
            onChange={(e) => {
              onFiles((e.target as HTMLInputElement).files);
            }}
          />
        </label>
        <label class="note-toggle">
          <input
            type="checkbox"
            checked={note}
            onChange={(e) => {
              setNote((e.target as HTMLInputElement).checked);
            }}
          />{' '}
          {t('internalNote')}
        </label>
      </div>
      <textarea
        ref={input}
        value={text}
        disabled={disabled}
        placeholder={note ? t('notePlaceholder') : t('placeholder')}
        onInput={(e) => {
          onInput((e.target as HTMLTextAreaElement).value);
        }}
        onKeyDown={onKey}
        aria-label={t('placeholder')}
      />
      <button type="button" class="primary send" disabled={disabled || !text.trim()} onClick={submit}>
        {t('send')}
      </button>
    </div>
  );
}
