// Over the thread of a chat transferred to this agent: who transferred it and their note. Once the
// server's stored notices for that transfer are in the thread (transferred / transfer_note), they say it
// and the banner steps aside, so the note never shows twice.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.js';
import { useStore } from '../store.js';
import type { Workbench } from '../workbench.js';

/** Notices stored for a transfer (proto EVENT_NOTICE_CODES). */
const TRANSFER_NOTICES = new Set(['transferred', 'transfer_note']);
/** A notice this close to the event (clock skew, storage) belongs to it. */
const SAME_TRANSFER_MS = 30_000;

export function TransferBanner({
  wb,
  id,
  t,
}: {
  wb: Workbench;
  id: string;
  t: Translate;
}): JSX.Element | null {
  const transfer = useStore(wb.store, (s) => s.transfers[id]);
  const thread = useStore(wb.store, (s) => s.threads[id]);
  if (!transfer) return null;
  const shown = (thread?.messages ?? []).some(
    (m) =>
      m.sender?.role === kefu.v1.Role.ROLE_SYSTEM &&
      TRANSFER_NOTICES.has(m.content?.system?.code ?? '') &&
      Number(m.createdAtMs) >= transfer.at - SAME_TRANSFER_MS &&
      (!transfer.note || m.content?.system?.code === 'transfer_note'),
  );
  if (shown) return null;
  return (
    <div class="transfer-banner" role="status">
      {transfer.note
        ? t('transferredFromNote', { from: transfer.from, note: transfer.note })
        : t('transferredFrom', { from: transfer.from })}
    </div>
  );
}
