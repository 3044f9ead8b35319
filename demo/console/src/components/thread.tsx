// The chat pane's message list: virtualised (only visible rows are in the DOM), anchored to the newest
// message, older pages loaded when the agent scrolls near the top.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { useStore } from '../store.js';
import { useVirtualizer } from '../virtual.js';
import type { Workbench } from '../workbench.js';
import { Content } from './content.js';

const { Role } = kefu.v1;

/** Agents may recall their own messages for this long (server: RECALL_WINDOW_S, 2 minutes). */
export const RECALL_WINDOW_MS = 120_000;

function time(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

export function Thread({ wb, id, t }: { wb: Workbench; id: string; t: Translate }): JSX.Element {
  const thread = useStore(wb.store, (s) => s.threads[id]);
  const customerRead = useStore(wb.store, (s) => s.customerRead[id] ?? 0);
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

  const onScroll = (): void => {
    const el = scroller.current;
    if (el && el.scrollTop < 400 && thread?.hasOlder && !thread.loading) void wb.loadPage(id, 'older');
  };
  const me = wb.me.uid;
  return (
    <div class="thread" ref={scroller} onScroll={onScroll} data-testid="thread">
      <div class="older muted">
        {thread?.loading ? t('loadingOlder') : thread?.hasOlder ? '' : t('noOlder')}
      </div>
      <div style={{ height: `${String(virtualizer.getTotalSize())}px`, position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const m = messages[row.index];
          if (!m) return null;
          const mine = m.sender?.uid === me;
          const role = m.sender?.role;
          const side = role === Role.ROLE_CUSTOMER ? 'left' : role === Role.ROLE_SYSTEM ? 'center' : 'right';
          const at = Number(m.createdAtMs);
          const canRecall = mine && !m.recalled && Date.now() - at < RECALL_WINDOW_MS;
          return (
            <div
              key={row.key}
              data-index={row.index}
              ref={virtualizer.measureElement}
              class={`msg ${side}${m.internalNote ? ' note' : ''}`}
              data-seq={String(m.seq)}
              style={{
                position: 'absolute',
                top: 0,
                left: 0,
                width: '100%',
                transform: `translateY(${String(row.start)}px)`,
              }}
            >
              <div class="meta">
                {m.sender?.name || (role === Role.ROLE_BOT ? t('bot') : '')} {time(at)}
                {m.internalNote ? <span class="tag">{t('internalNote')}</span> : null}
              </div>
              <div class="bubble">
                {m.recalled || !m.content ? (
                  <span class="muted">{t('recalled')}</span>
                ) : (
                  <Content api={wb.api} t={t} content={m.content} />
                )}
              </div>
              {mine && !m.internalNote ? (
                <div class="status muted">
                  {customerRead >= Number(m.seq) ? t('read') : t('unread')}
                  {canRecall ? (
                    <button
                      type="button"
                      class="link"
                      onClick={() => {
                        void wb.client.recall(id, m.id ?? '');
                      }}
                    >
                      {t('recall')}
                    </button>
                  ) : null}
                </div>
              ) : null}
            </div>
          );
        })}
      </div>
    </div>
  );
}
