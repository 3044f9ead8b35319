import type { Conversation } from '../../repository/conversation-repository.js';
import type { LeaveMessage } from '../../repository/leave-message-repository.js';
import type { NoticeSender } from '../messaging/notices.js';

export interface LeftMessageSource {
  listUnshown(customerUid: string, since: Date, limit: number): Promise<LeaveMessage[]>;
  markShown(ids: readonly string[], conversationId: string): Promise<void>;
}

/** Left messages older than this are the records' business (issue 20), not the next chat's. */
const LOOK_BACK_MS = 7 * 86_400_000;
const AT_MOST = 5;

const when = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  month: 'numeric',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * A customer who left a message (留言) while nobody was online is served now: the agent reads what they
 * left as agents-only lines at the top of the chat, each message once.
 */
export async function showLeftMessages(
  source: LeftMessageSource,
  notice: NoticeSender,
  c: Conversation,
  now = new Date(),
): Promise<void> {
  const left = await source.listUnshown(c.customerUid, new Date(now.getTime() - LOOK_BACK_MS), AT_MOST);
  if (left.length === 0) return;
  await source.markShown(
    left.map((m) => m.id),
    c.id,
  );
  for (const m of left) {
    await notice(
      c,
      {
        code: 'left_message',
        text: `客户于 ${when.format(m.createdAt)} 留言：${m.content}`,
        params: { content: m.content, at: m.createdAt.toISOString() },
      },
      { from: 'system', agentsOnly: true },
    );
  }
}
