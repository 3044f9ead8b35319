// The middle column: header (customer, status, actions), the message list, typing, the composer.
import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.js';
import { useStore } from '../store.js';
import type { Workbench } from '../workbench.js';
import { Actions } from './actions.js';
import { Composer } from './composer.js';
import { CustomerPanel } from './customer-panel.js';
import { Thread } from './thread.js';

export function ChatPane({ wb, t }: { wb: Workbench; t: Translate }): JSX.Element {
  const selected = useStore(wb.store, (s) => s.selected);
  // Subscribe to list changes so status and names stay current.
  useStore(wb.store, (s) => s.conversations);
  const typingUntil = useStore(wb.store, (s) => (selected ? (s.typing[selected] ?? 0) : 0));
  const c = wb.summaryOf(selected);
  if (!selected || !c) return <main class="chat empty muted">{t('selectConversation')}</main>;
  const mine = c.agent_uid === wb.me.uid;
  return (
    <>
      <main class="chat" aria-label={c.customer.name}>
        <header class="chat-head">
          <div>
            <b>{c.customer.name}</b>{' '}
            <span class="muted">{c.status === 'closed' ? t('closed') : c.channel}</span>
          </div>
          {mine ? <Actions wb={wb} c={c} t={t} /> : null}
        </header>
        <Thread wb={wb} id={c.id} t={t} />
        <div class="typing muted" aria-live="polite">
          {typingUntil > Date.now() ? t('typing') : ''}
        </div>
        {mine && c.status === 'open' ? <Composer wb={wb} id={c.id} t={t} disabled={false} /> : null}
      </main>
      <CustomerPanel wb={wb} c={c} t={t} />
    </>
  );
}
