// The rating form (满意度评价) as the server's invite describes it: the invite carries the chat's rating
// template (its skill group's, else the default; server/src/service/ratings/) — title, scale (five stars,
// NPS 0–10 or two-level), a label and tags per score (tags optionally required), a required comment per
// score, and whether to ask "problem solved?". The same form serves the agent's invite and the at-close
// rating the server offers (ConversationState.close_rating). The draft lives in the component; this
// module turns it into view data and into the RatingResult to send.
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

/** The scores of a scale, in the order they are shown. */
function scoresOf(scale: kefu.v1.RatingScale): number[] {
  if (scale === RatingScale.RATING_SCALE_NPS) return Array.from({ length: 11 }, (_, n) => n);
  if (scale === RatingScale.RATING_SCALE_TWO_LEVEL) return [1, 0];
  return [1, 2, 3, 4, 5];
}

function optionOf(invite: kefu.v1.IRatingInvite, score: number): kefu.v1.IRatingOption | undefined {
  return (invite.options ?? []).find((o) => (o.score ?? 0) === score);
}

/** A score's label: the template's, else the locale's words for the scale. */
function labelOf(invite: kefu.v1.IRatingInvite, score: number, t: Strings): string {
  const own = optionOf(invite, score)?.label;
  if (own) return own;
  const scale = scaleOf(invite);
  if (scale === RatingScale.RATING_SCALE_NPS) return String(score);
  if (scale === RatingScale.RATING_SCALE_TWO_LEVEL) return score === 1 ? t.satisfied : t.unsatisfied;
  return t.stars[score - 1] ?? '';
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
  const star = scale === RatingScale.RATING_SCALE_FIVE_STAR;
  const two = scale === RatingScale.RATING_SCALE_TWO_LEVEL;
  const choices: View[] = scoresOf(scale).map((n) => {
    const label = labelOf(invite, n, t);
    return {
      n,
      label: two ? `${n === 1 ? '👍' : '👎'} ${label}` : label,
      on: star ? s >= n : s === n,
    };
  });
  const option = s >= 0 ? optionOf(invite, s) : undefined;
  return {
    id: invite.inviteId ?? '',
    done,
    prompt: invite.prompt || t.rateTitle,
    scale: scale === RatingScale.RATING_SCALE_NPS ? 'nps' : two ? 'two' : 'star',
    choices,
    // The chosen score's words under the scale (stars are only ★; an NPS label that is not its number).
    hint: two || s < 0 || (!star && labelOf(invite, s, t) === String(s)) ? '' : labelOf(invite, s, t),
    tags: (option?.tags ?? []).map((tag) => ({ tag, on: draft.tags.includes(tag) })),
    tagRequired: option?.tagRequired === true,
    askSolved: invite.askSolved === true,
    solvedYes: draft.solved === Solved.SOLVED_YES,
    solvedNo: draft.solved === Solved.SOLVED_NO,
    comment: draft.comment,
    commentHint: option?.commentRequired ? t.commentRequired : t.comment,
    error: draft.error,
  };
}

/** The result to send, or the error to show in the form (checked in the order the form asks). */
export function ratingResult(
  invite: kefu.v1.IRatingInvite,
  draft: RatingDraft,
  declined: boolean,
  t: Strings,
): kefu.v1.IRatingResult | { error: string } {
  const option = optionOf(invite, draft.score);
  if (!declined) {
    if (draft.score < 0) return { error: t.rateNeedScore };
    if (option?.tagRequired && draft.tags.length === 0) return { error: t.rateNeedTag };
    if (option?.commentRequired && !draft.comment.trim()) return { error: t.rateNeedComment };
  }
  // Only tags the chosen score offers (a tag picked under another score is dropped).
  const offered = new Set(option?.tags ?? []);
  return {
    inviteId: invite.inviteId ?? '',
    scale: scaleOf(invite),
    score: declined ? 0 : draft.score,
    tags: declined ? [] : draft.tags.filter((x) => offered.has(x)),
    comment: declined ? '' : draft.comment.trim().slice(0, 1000),
    solved: declined || invite.askSolved !== true ? Solved.SOLVED_UNSPECIFIED : draft.solved,
    declined,
  };
}
