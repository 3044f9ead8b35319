// Quick replies in the composer: "/" at the start of the message opens the picker, the rest of the word
// searches; ↑/↓ choose, Enter or Tab take one, Esc closes.
import type { JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { query, type Api } from '../api.js';
import type { Translate } from '../i18n/index.js';
import type { QuickReply } from '../types.js';

export interface QuickReplies {
  replies: QuickReply[] | undefined;
  pick: number;
  /** Handles the picker's keys; true when the key was its own. */
  onKey: (e: KeyboardEvent, take: (text: string) => void) => boolean;
  close: () => void;
}

export function useQuickReplies(api: Api, text: string): QuickReplies {
  const [replies, setReplies] = useState<QuickReply[] | undefined>();
  const [pick, setPick] = useState(0);
  const slash = /^\/(\S*)$/.exec(text);
  useEffect(() => {
    if (!slash) {
      setReplies(undefined);
      return;
    }
    let live = true;
    api.get<{ quick_replies: QuickReply[] }>(`/agent/quick-replies${query({ q: slash[1] })}`).then(
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
  const close = (): void => {
    setReplies(undefined);
  };
  const onKey = (e: KeyboardEvent, take: (text: string) => void): boolean => {
    if (!replies || replies.length === 0) return false;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      setPick((p) => (p + (e.key === 'ArrowDown' ? 1 : replies.length - 1)) % replies.length);
      return true;
    }
    if (e.key === 'Enter' || e.key === 'Tab') {
      e.preventDefault();
      const chosen = replies[pick];
      if (chosen) take(chosen.text);
      close();
      return true;
    }
    if (e.key === 'Escape') {
      e.stopPropagation();
      close();
      return true;
    }
    return false;
  };
  return { replies, pick, onKey, close };
}

export function QuickReplyPicker({
  t,
  state,
  onTake,
}: {
  t: Translate;
  state: QuickReplies;
  onTake: (text: string) => void;
}): JSX.Element | null {
  const { replies, pick } = state;
  if (!replies) return null;
  return (
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
            onTake(r.text);
            state.close();
          }}
        >
          <b>/{r.shortcut}</b> {r.title}{' '}
          <span class="tag">{r.scope === 'team' ? t('team') : t('personal')}</span>
        </li>
      ))}
    </ul>
  );
}
