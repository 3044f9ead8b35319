// The middle column: header (customer, channel or why it closed, actions), a transfer's note, the
// message list (or, for a queued customer, why it is not shown), typing, the composer; files dropped
// anywhere on it are sent. The customer panel sits beside it (not for a queued customer of the agent's
// groups, whom the agent may not look into yet).
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { closeReasonLabel, codeLabel } from '../labels.js';
import { useStore } from '../store.js';
import { sendFiles } from '../uploads.js';
import type { Workbench } from '../workbench.js';
import { Actions } from './actions.js';
import { Composer, filesOf } from './composer.js';
import { CustomerPanel } from './customer-panel.js';
import { Thread } from './thread.js';
import { TransferBanner } from './transfer-banner.js';

const hasFiles = (e: DragEvent): boolean => Array.from(e.dataTransfer?.types ?? []).includes('Files');

export function ChatPane({ wb, t }: { wb: Workbench; t: Translate }): JSX.Element {
  const selected = useStore(wb.store, (s) => s.selected);
  // Subscribe to list changes so status and names stay current.
  useStore(wb.store, (s) => s.conversations);
  useStore(wb.store, (s) => s.others);
  const me = useStore(wb.store, (s) => s.me);
  const typingUntil = useStore(wb.store, (s) => (selected ? (s.typing[selected] ?? 0) : 0));
  const reason = useStore(wb.store, (s) => (selected ? s.closeReasons[selected] : undefined));
  const [dropping, setDropping] = useState(false);
  const c = wb.summaryOf(selected);
  if (!selected || !c) return <main class="chat empty muted">{t('selectConversation')}</main>;
  const mine = c.agent_uid === me.uid;
  const writable = mine && c.status === 'open';
  const why = closeReasonLabel(t, reason);
  const drop = {
    onDragOver: (e: DragEvent): void => {
      if (!writable || !hasFiles(e)) return;
      e.preventDefault();
      setDropping(true);
    },
    onDragLeave: (e: DragEvent): void => {
      if (e.currentTarget === e.target) setDropping(false);
    },
    onDrop: (e: DragEvent): void => {
      setDropping(false);
      if (!writable || !hasFiles(e)) return;
      e.preventDefault();
      sendFiles(wb, c.id, filesOf(e.dataTransfer));
    },
  };
  return (
    <>
      <main class={`chat${dropping ? ' dropping' : ''}`} aria-label={c.customer.name} {...drop}>
        <header class="chat-head">
          <div>
            <b>{c.customer.name}</b>{' '}
            <span class="muted" data-field="chat-status">
              {c.status === 'closed'
                ? why
                  ? t('closedWhy', { reason: why })
                  : t('closed')
                : c.status === 'queued'
                  ? codeLabel(t, 'status', c.status)
                  : codeLabel(t, 'channel', c.channel)}
            </span>
          </div>
          {mine ? <Actions wb={wb} c={c} t={t} /> : null}
        </header>
        <TransferBanner wb={wb} id={c.id} t={t} />
        {c.access === 'queue' ? (
          <p class="queue-only muted">{t('queueOnly')}</p>
        ) : (
          <Thread wb={wb} id={c.id} t={t} />
        )}
        <div class="typing muted" aria-live="polite">
          {typingUntil > Date.now() ? t('typing') : ''}
        </div>
        {writable ? <Composer key={c.id} wb={wb} id={c.id} t={t} /> : null}
        {dropping ? (
          <div class="drop-hint" aria-hidden="true">
            {t('dropHere')}
          </div>
        ) : null}
      </main>
      {c.access === 'queue' ? null : <CustomerPanel wb={wb} c={c} t={t} />}
    </>
  );
}
