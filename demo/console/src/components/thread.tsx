// The chat pane's message list: virtualised (only visible rows are in the DOM), anchored to the newest
// message, older pages loaded when the agent scrolls near the top; a quote's original is scrolled to and
// marked when asked for.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { useStore } from '../store.js';
import { useVirtualizer } from '../virtual.js';
import type { Workbench } from '../workbench.js';
import { ErrorMessage } from './error-message.js';
import { MessageBody } from './message-row.js';

const { Role } = kefu.v1;

export function Thread({ wb, id, t }: { wb: Workbench; id: string; t: Translate }): JSX.Element {
  const thread = useStore(wb.store, (s) => s.threads[id]);
  // Live read events, else what the summary said when the list was loaded (after a reload).
  const customerRead = useStore(wb.store, (s) =>
    Math.max(
      s.customerRead[id] ?? 0,
      (s.conversations.find((c) => c.id === id) ?? s.others[id])?.customer_read_seq ?? 0,
    ),
  );
  const focus = useStore(wb.store, (s) => s.focusMessage);
  const [marked, setMarked] = useState<string>();
  const scroller = useRef<HTMLDivElement>(null);
  const messages = (thread?.messages ?? []).filter((m) => !m.hidden);
  const virtualizer = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 64,
    getItemKey: (i) => messages[i]?.id ?? i,
    anchorTo: 'end',
    followOnAppend: true,
    overscan: 10,
  });
  // Start at the newest message when a conversation opens.
  const opened = useRef('');
  useEffect(() => {
    if (messages.length > 0 && opened.current !== id) {
      opened.current = id;
      virtualizer.scrollToIndex(messages.length - 1, { align: 'end' });
    }
  }, [id, messages.length]);
  // A quote's original: scroll to it and mark it for a moment.
  useEffect(() => {
    if (!focus) return;
    const index = messages.findIndex((m) => m.id === focus);
    if (index < 0) return;
    wb.store.set({ focusMessage: undefined });
    virtualizer.scrollToIndex(index, { align: 'center' });
    setMarked(focus);
    const timer = setTimeout(() => {
      setMarked(undefined);
    }, 2_000);
    return () => {
      clearTimeout(timer);
    };
  }, [focus, messages.length]);

  const onScroll = (): void => {
    const el = scroller.current;
    if (el && el.scrollTop < 400 && thread?.hasOlder && !thread.loading) void wb.loadPage(id, 'older');
  };
  return (
    <div class="thread" ref={scroller} onScroll={onScroll} data-testid="thread">
      <div class="older muted">
        {thread?.loading ? t('loadingOlder') : thread?.hasOlder ? '' : t('noOlder')}
      </div>
      {thread?.error ? <ErrorMessage t={t} error={thread.error} /> : null}
      <div style={{ height: `${String(virtualizer.getTotalSize())}px`, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const m = messages[row.index];
          if (!m) return null;
          const role = m.sender?.role;
          const side =
            role === Role.ROLE_CUSTOMER
              ? 'left'
              : role === Role.ROLE_SYSTEM || m.content?.system
                ? 'center'
                : 'right';
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              class={`msg ${side}${m.internalNote ? ' note' : ''}${m.id === marked ? ' marked' : ''}`}
              data-seq={String(m.seq)}
              data-id={m.id ?? ''}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                transform: `translateY(${String(row.start)}px)`,
              }}
            >
              <MessageBody wb={wb} id={id} t={t} m={m} customerRead={customerRead} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
