import { kefu } from '@kefu/proto';
import type { Conversation } from '../../repository/conversation-repository.js';
import type { Rating } from '../../repository/rating-repository.js';

/** A customer may still rate this long after the conversation closed. */
export const RATING_AFTER_CLOSE_MS = 7 * 86_400_000;

/** The agents who served a conversation: the current one and everyone it was transferred from or to. */
function servedBy(c: Conversation): string[] {
  const uids = new Set<string>();
  for (const t of c.transfers ?? []) uids.add(t.from).add(t.to);
  if (c.agentUid) uids.add(c.agentUid);
  return [...uids];
}

function ratingScaleName(scale: kefu.v1.RatingScale | null | undefined): 'five_star' | 'nps' | 'two_level' {
  if (scale === kefu.v1.RatingScale.RATING_SCALE_NPS) return 'nps';
  if (scale === kefu.v1.RatingScale.RATING_SCALE_TWO_LEVEL) return 'two_level';
  return 'five_star';
}

function solvedName(solved: kefu.v1.Solved | null | undefined): 'yes' | 'no' | 'unknown' {
  if (solved === kefu.v1.Solved.SOLVED_YES) return 'yes';
  if (solved === kefu.v1.Solved.SOLVED_NO) return 'no';
  return 'unknown';
}

/**
 * The rating a customer's RatingResult stores (keyed by invite, so a resend after a crash writes the same
 * document again). Every agent who served the chat shares it (REFERENCE.md §A); the last one is `agentUid`.
 */
export function ratingFrom(
  conversation: Conversation,
  r: kefu.v1.IRatingResult,
  clientMsgId: string,
  at: Date,
): Rating {
  return {
    conversationId: conversation.id,
    inviteId: r.inviteId ?? '',
    customerUid: conversation.customerUid,
    agentUid: conversation.agentUid,
    servedBy: servedBy(conversation),
    scale: ratingScaleName(r.scale),
    score: r.declined ? 0 : (r.score ?? 0),
    tags: (r.tags ?? []).map((t) => t.slice(0, 50)),
    comment: r.comment ?? undefined,
    solved: solvedName(r.solved),
    declined: r.declined === true,
    clientMsgId,
    createdAt: at,
  };
}
