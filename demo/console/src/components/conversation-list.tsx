// Conversation lists (mine / queued / all for supervisors): virtualised rows with unread count, last
// message, waiting time and VIP/level badges.
import type { JSX } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { localizePreview } from '../preview.js';
import { useStore } from '../store.js';
import type { ConversationSummary } from '../types.js';
import { useVirtualizer } from '../virtual.js';
import { Workbench, type View } from '../workbench.js';
import { ErrorMessage } from './error-message.js';

function duration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${String(s)}s`;
  if (s < 3600) return `${String(Math.floor(s / 60))}m`;
  return `${String(Math.floor(s / 3600))}h${String(Math.floor((s % 3600) / 60))}m`;
}

/** Re-renders every few seconds so waiting times move. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => {
      setNow(Date.now());
    }, everyMs);
    return () => {
      clearInterval(timer);
    };
  }, []);
  return now;
}

function Row({
  c,
  selected,
  now,
  t,
  onSelect,
}: {
  c: ConversationSummary;
  selected: boolean;
  now: number;
  t: Translate;
  onSelect: () => void;
}) {
  const waiting = Workbench.waitingLabel(c, now);
  return (
    <button
      type="button"
      class={`conv${selected ? ' selected' : ''}`}
      onClick={onSelect}
      data-conversation={c.id}
      aria-current={selected}
    >
      <span class="conv-top">
        <span class="conv-name">{c.customer.name}</span>
        {c.customer.vip ? <span class="badge vip">{t('vip')}</span> : null}
        {c.customer.level ? <span class="badge level">V{c.customer.level}</span> : null}
        {c.unread > 0 ? (
          <span class="badge unread" aria-label={t('unread')}>
            {c.unread > 99 ? '99+' : c.unread}
          </span>
        ) : null}
      </span>
      <span class="conv-last">
        {c.last_message
          ? localizePreview(t, c.last_message.preview)
          : c.access === 'queue'
            ? t('queued')
            : ''}
      </span>
      <span class="conv-meta muted">
        {c.status === 'queued' ? t('queued') : (c.agent_name ?? '')}
        {waiting > 0 ? <span class="waiting"> {t('waiting', { t: duration(waiting) })}</span> : null}
      </span>
    </button>
  );
}

export function ConversationList({ wb, t }: { wb: Workbench; t: Translate }): JSX.Element {
  const view = useStore(wb.store, (s) => s.view);
  const list = useStore(wb.store, (s) => s.conversations);
  const selected = useStore(wb.store, (s) => s.selected);
  const loading = useStore(wb.store, (s) => s.listLoading);
  const error = useStore(wb.store, (s) => s.listError);
  const now = useNow(5_000);
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: list.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 68,
    getItemKey: (i) => list[i]?.id ?? i,
  });
  const me = useStore(wb.store, (s) => s.me);
  // Keyboard moves (Alt+↑/↓) select rows that may be out of view.
  useEffect(() => {
    const i = list.findIndex((c) => c.id === selected);
    if (i >= 0) virtualizer.scrollToIndex(i, { align: 'auto' });
  }, [selected]);
  const views: View[] = me.perms.includes('monitor') ? ['mine', 'queued', 'all'] : ['mine', 'queued'];
  return (
    <nav class="conversations" aria-label={t('workbench')}>
      <div class="tabs" role="tablist">
        {views.map((v) => (
          <button
            type="button"
            role="tab"
            key={v}
            aria-selected={v === view}
            class={v === view ? 'active' : ''}
            onClick={() => void wb.setView(v)}
          >
            {t(v)}
          </button>
        ))}
      </div>
      <ErrorMessage t={t} error={error} />
      {!loading && list.length === 0 ? <p class="muted empty">{t('noConversations')}</p> : null}
      <div class="conv-scroll" ref={scroller} data-testid="conversation-list">
        <div style={{ height: `${String(virtualizer.getTotalSize())}px`, position: 'relative' }}>
          {virtualizer.getVirtualItems().map((row) => {
            const c = list[row.index];
            if (!c) return null;
            return (
              <div
                key={row.key}
                data-index={row.index}
                ref={virtualizer.measureElement}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  width: '100%',
                  transform: `translateY(${String(row.start)}px)`,
                }}
              >
                <Row
                  c={c}
                  selected={c.id === selected}
                  now={now}
                  t={t}
                  onSelect={() => void wb.select(c.id)}
                />
              </div>
            );
          })}
        </div>
      </div>
    </nav>
  );
}
