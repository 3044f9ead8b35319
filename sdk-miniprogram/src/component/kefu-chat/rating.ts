// The rating form (满意度评价) as the web widget draws it: five stars, NPS 0–10 or two-level, tags per
// score (optionally required), "problem solved?", an optional (or required) comment, decline. The draft
// lives in the component; this module turns it into view data and into the RatingResult to send.
import { kefu } from '@kefu/proto';
import type { Strings } from './i18n.js';
import type { View } from './patch.js';

const { RatingScale, Solved } = kefu.v1;

export interface RatingDraft {
  /** -1 until the customer picks one. */
  score: number;
  tags: string[];
  solved: kefu.v1.Solved;
  comment: string;
  error: string;
}

export function emptyDraft(): RatingDraft {
  return { score: -1, tags: [], solved: Solved.SOLVED_UNSPECIFIED, comment: '', error: '' };
}

function scaleOf(invite: kefu.v1.IRatingInvite): kefu.v1.RatingScale {
  return invite.scale || RatingScale.RATING_SCALE_FIVE_STAR;
}

function optionOf(invite: kefu.v1.IRatingInvite, score: number): kefu.v1.IRatingOption | undefined {
  return (invite.options ?? []).find((o) => o.score === score);
}

/** The form's view: every choice with its on/off state (WXML cannot compare). */
export function ratingView(
  invite: kefu.v1.IRatingInvite,
  draft: RatingDraft,
  done: boolean,
  t: Strings,
): View {
  const scale = scaleOf(invite);
  const s = draft.score;
  let choices: View[];
  if (scale === RatingScale.RATING_SCALE_NPS)
    choices = Array.from({ length: 11 }, (_, n) => ({ n, label: String(n), on: s === n }));
  else if (scale === RatingScale.RATING_SCALE_TWO_LEVEL)
    choices = [
      { n: 1, label: `👍 ${t.satisfied}`, on: s === 1 },
      { n: 0, label: `👎 ${t.unsatisfied}`, on: s === 0 },
    ];
  else choices = [1, 2, 3, 4, 5].map((n) => ({ n, label: t.stars[n - 1] ?? '', on: s >= n }));
  const option = optionOf(invite, s);
  return {
    id: invite.inviteId ?? '',
    done,
    prompt: invite.prompt || t.rateTitle,
    scale:
      scale === RatingScale.RATING_SCALE_NPS
        ? 'nps'
        : scale === RatingScale.RATING_SCALE_TWO_LEVEL
          ? 'two'
          : 'star',
    choices,
    hint: s >= 0 && scale === RatingScale.RATING_SCALE_FIVE_STAR ? (t.stars[s - 1] ?? '') : '',
    tags: (option?.tags ?? []).map((tag) => ({ tag, on: draft.tags.includes(tag) })),
    askSolved: invite.askSolved === true,
    solvedYes: draft.solved === Solved.SOLVED_YES,
    solvedNo: draft.solved === Solved.SOLVED_NO,
    comment: draft.comment,
    error: draft.error,
  };
}

/** The result to send, or the draft with the error to show (what the widget checks, in its order). */
export function ratingResult(
  invite: kefu.v1.IRatingInvite,
  draft: RatingDraft,
  declined: boolean,
  t: Strings,
): kefu.v1.IRatingResult | { error: string } {
  const option = optionOf(invite, draft.score);
  if (!declined) {
    if (draft.score < 0) return { error: t.rateTitle };
    if (option?.tagRequired && draft.tags.length === 0) return { error: t.rateTitle };
    if (option?.commentRequired && !draft.comment.trim()) return { error: t.comment };
  }
  return {
    inviteId: invite.inviteId ?? '',
    scale: scaleOf(invite),
    score: declined ? 0 : draft.score,
    tags: declined ? [] : draft.tags,
    comment: declined ? '' : draft.comment.trim().slice(0, 1000),
    solved: declined ? Solved.SOLVED_UNSPECIFIED : draft.solved,
    declined,
  };
}

/** The invite the component offers when the conversation closed (the widget's at-close rating). */
export function closeInvite(id: string): kefu.v1.IRatingInvite {
  return { inviteId: id, scale: RatingScale.RATING_SCALE_FIVE_STAR, askSolved: true };
}
