// One stored message in the list: a system notice, a recalled message, a rating invite, or a bubble with
// the author, its content and its read state.
import { kefu } from '@kefu/proto';
import type { JSX } from 'preact';
import type { Chat, ChatState } from './chat.js';
import { Content } from './content.js';
import type { Strings } from './i18n.js';
import { RatingForm } from './rating-form.js';

const { ConversationStatus, Role } = kefu.v1;

export interface RowProps {
  chat: Chat;
  s: ChatState;
  t: Strings;
  m: kefu.v1.IMessage;
  /** Rating invites answered already. */
  answered: Set<string>;
}

export function MessageRow({ chat, s, t, m, answered }: RowProps): JSX.Element {
  const c = s.conversation;
  const mine = m.sender?.role === Role.ROLE_CUSTOMER;
  const id = m.id ?? '';
  if (m.recalled)
    return (
      <div class="sys" data-testid="recalled" data-id={id}>
        {t.recalled}
      </div>
    );
  const system = m.content?.system;
  if (system) {
    const code = system.code ?? '';
    return (
      <div class="sys" data-testid="notice" data-code={code} data-id={id}>
        {system.text || t.notices[code] || ''}
        {code === 'queue_reminder' && c?.status === ConversationStatus.CONVERSATION_STATUS_QUEUED && (
          <>
            {' · '}
            <button
              type="button"
              class="ib kefu-link"
              onClick={() => {
                chat.send({ text: { text: t.keepWaiting } });
              }}
            >
              {t.keepWaiting}
            </button>
          </>
        )}
      </div>
    );
  }
  const invite = m.content?.ratingInvite;
  if (invite && !mine)
    return <RatingForm chat={chat} t={t} invite={invite} done={answered.has(invite.inviteId ?? '')} />;
  return (
    <div class={mine ? 'r me' : 'r'} data-testid="message" data-seq={String(m.seq)} data-id={id}>
      {!mine && <div class="nm">{m.sender?.name || t.title}</div>}
      <Content chat={chat} t={t} content={m.content ?? {}} />
      {mine && c?.agent && (
        <div class="mt" data-testid="read-state">
          {Number(m.seq) <= s.agentReadSeq ? t.read : t.unreadMark}
        </div>
      )}
    </div>
  );
}
