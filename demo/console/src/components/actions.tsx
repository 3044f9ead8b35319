// The chat pane's header actions: invite a rating, transfer (agent or skill group, with a note), close
// with a summary (会话小结). The dialog shown is in the workbench's state, so a keyboard shortcut can ask
// for it too.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import { useState } from 'preact/hooks';
import type { Translate } from '../i18n/index.js';
import { useStore } from '../store.js';
import type { ConversationSummary } from '../types.js';
import type { Workbench } from '../workbench.js';
import { CloseDialog, TransferDialog } from './chat-dialogs.js';
import { ErrorMessage } from './error-message.js';

const TAGS = ['服务态度好', '回复及时', '问题已解决'];

/** Five stars, tags for the good scores, "solved?" — the replaced product's default template. */
export function ratingInvite(inviteId: string): kefu.v1.IContent {
  return {
    ratingInvite: {
      inviteId,
      scale: kefu.v1.RatingScale.RATING_SCALE_FIVE_STAR,
      askSolved: true,
      options: [1, 2, 3, 4, 5].map((score) => ({ score, tags: score >= 4 ? TAGS : [] })),
    },
  };
}

export function Actions({ wb, c, t }: { wb: Workbench; c: ConversationSummary; t: Translate }): JSX.Element {
  const dialog = useStore(wb.store, (s) => s.dialog);
  const setDialog = (d: 'transfer' | 'close' | undefined): void => {
    wb.store.set({ dialog: d });
  };
  const [error, setError] = useState<unknown>();
  const open = c.status === 'open';
  const run = async (fn: () => Promise<unknown>): Promise<void> => {
    setError(undefined);
    try {
      await fn();
      setDialog(undefined);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <div class="actions">
      <button
        type="button"
        disabled={!open}
        onClick={() => void wb.send(c.id, ratingInvite(wb.client.newId()))}
      >
        {t('inviteRating')}
      </button>
      <button
        type="button"
        disabled={!open}
        onClick={() => {
          setDialog('transfer');
        }}
      >
        {t('transfer')}
      </button>
      <button
        type="button"
        disabled={c.status === 'closed'}
        onClick={() => {
          setDialog('close');
        }}
      >
        {t('close')}
      </button>
      <ErrorMessage t={t} error={error} inline />
      {dialog === 'transfer' ? (
        <TransferDialog
          wb={wb}
          t={t}
          onCancel={() => {
            setDialog(undefined);
          }}
          onSubmit={(body) => run(() => wb.api.send('POST', `/agent/conversations/${c.id}/transfer`, body))}
        />
      ) : null}
      {dialog === 'close' ? (
        <CloseDialog
          wb={wb}
          t={t}
          onCancel={() => {
            setDialog(undefined);
          }}
          onSubmit={(summary) =>
            run(() => wb.api.send('POST', `/agent/conversations/${c.id}/close`, { summary }))
          }
        />
      ) : null}
    </div>
  );
}
