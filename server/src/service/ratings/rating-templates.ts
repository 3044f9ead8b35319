import { kefu } from '@kefu/proto';

/** How a rating is asked (满意度评价, REFERENCE.md §A "Rating"): one default and one per skill group. */
export interface RatingTemplate {
  scale: RatingScaleName;
  prompt: string;
  askSolved: boolean;
  /** One per score of the scale: its label and the tags a customer may pick with it. */
  options: RatingOptionTemplate[];
}

export interface RatingOptionTemplate {
  score: number;
  label: string;
  tags: string[];
  tagRequired: boolean;
  commentRequired: boolean;
}

export const RATING_SCALES = ['five_star', 'nps', 'two_level'] as const;
export type RatingScaleName = (typeof RATING_SCALES)[number];

/** The scores of each scale. */
export const SCALE_SCORES: Record<RatingScaleName, readonly number[]> = {
  five_star: [1, 2, 3, 4, 5],
  nps: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
  two_level: [0, 1],
};

const option = (score: number, label: string, tags: string[] = []): RatingOptionTemplate => ({
  score,
  label,
  tags,
  tagRequired: false,
  commentRequired: false,
});

const LOW = ['回复太慢', '没有解决问题', '态度不好'];
const HIGH = ['回复及时', '态度很好', '问题已解决'];

/** What a new installation asks until an admin chooses otherwise. */
export function defaultTemplate(scale: RatingScaleName = 'five_star'): RatingTemplate {
  const options: Record<RatingScaleName, RatingOptionTemplate[]> = {
    five_star: [
      option(1, '非常不满意', LOW),
      option(2, '不满意', LOW),
      option(3, '一般'),
      option(4, '满意', HIGH),
      option(5, '非常满意', HIGH),
    ],
    nps: SCALE_SCORES.nps.map((s) => option(s, String(s), s <= 6 ? LOW : s >= 9 ? HIGH : [])),
    two_level: [option(0, '不满意', LOW), option(1, '满意', HIGH)],
  };
  return { scale, prompt: '请对本次服务进行评价', askSolved: true, options: options[scale] };
}

const WIRE_SCALE: Record<RatingScaleName, kefu.v1.RatingScale> = {
  five_star: kefu.v1.RatingScale.RATING_SCALE_FIVE_STAR,
  nps: kefu.v1.RatingScale.RATING_SCALE_NPS,
  two_level: kefu.v1.RatingScale.RATING_SCALE_TWO_LEVEL,
};

/** The invite a customer answers, from a template. */
export function inviteFrom(t: RatingTemplate, inviteId: string): kefu.v1.IRatingInvite {
  return {
    inviteId,
    scale: WIRE_SCALE[t.scale],
    prompt: t.prompt,
    askSolved: t.askSolved,
    options: t.options.map((o) => ({
      score: o.score,
      label: o.label,
      tags: o.tags,
      tagRequired: o.tagRequired,
      commentRequired: o.commentRequired,
    })),
  };
}

/** The stored (and API) form, snake_case. */
export function templateToStored(t: RatingTemplate): Record<string, unknown> {
  return {
    scale: t.scale,
    prompt: t.prompt,
    ask_solved: t.askSolved,
    options: t.options.map((o) => ({
      score: o.score,
      label: o.label,
      tags: o.tags,
      tag_required: o.tagRequired,
      comment_required: o.commentRequired,
    })),
  };
}

/** Reads a stored template leniently (fields added later get their defaults). */
export function templateFromStored(raw: unknown): RatingTemplate | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const scale = RATING_SCALES.find((s) => s === r['scale']);
  if (!scale) return undefined;
  const options = Array.isArray(r['options']) ? (r['options'] as Record<string, unknown>[]) : [];
  return {
    scale,
    prompt: typeof r['prompt'] === 'string' ? r['prompt'] : defaultTemplate(scale).prompt,
    askSolved: r['ask_solved'] !== false,
    options: options.map((o) => ({
      score: typeof o['score'] === 'number' ? o['score'] : 0,
      label: typeof o['label'] === 'string' ? o['label'] : '',
      tags: Array.isArray(o['tags'])
        ? [...new Set(o['tags'].filter((x): x is string => typeof x === 'string'))]
        : [],
      tagRequired: o['tag_required'] === true,
      commentRequired: o['comment_required'] === true,
    })),
  };
}
