// Rating templates (满意度评价模板) as the admin API sends them (server/src/port/http/rating-routes.ts),
// as the form edits them (each score's tags as one comma-separated string), and back to the PUT body.
import type { Translate } from '../i18n/index.js';

export const RATING_SCALES = ['five_star', 'nps', 'two_level'] as const;
export type RatingScale = (typeof RATING_SCALES)[number];

export interface RatingOption {
  score: number;
  label: string;
  tags: string[];
  tag_required: boolean;
  comment_required: boolean;
}

export interface RatingTemplate {
  scale: RatingScale;
  prompt: string;
  ask_solved: boolean;
  /** One per score of the scale, in order. */
  options: RatingOption[];
}

/** GET /admin/rating-templates: the default, the groups' own, and a starting point for each scale. */
export interface RatingTemplates {
  default: RatingTemplate;
  groups: (RatingTemplate & { group_id: string })[];
  presets: Record<RatingScale, RatingTemplate>;
}

export interface OptionDraft {
  score: number;
  label: string;
  /** Comma-separated, as typed. */
  tags: string;
  tag_required: boolean;
  comment_required: boolean;
}

export interface TemplateDraft {
  scale: RatingScale;
  prompt: string;
  ask_solved: boolean;
  options: OptionDraft[];
}

/** Tags as typed: split at Latin or Chinese commas and 、, blanks dropped. */
export function splitTags(s: string): string[] {
  return s
    .split(/[,，、]/)
    .map((x) => x.trim())
    .filter(Boolean);
}

export function toDraft(t: RatingTemplate): TemplateDraft {
  return {
    scale: t.scale,
    prompt: t.prompt,
    ask_solved: t.ask_solved,
    options: t.options.map((o) => ({ ...o, tags: o.tags.join('，') })),
  };
}

/** The PUT body (the server trims and checks each field; nothing is dropped here). */
export function templateBody(d: TemplateDraft): RatingTemplate {
  return {
    scale: d.scale,
    prompt: d.prompt,
    ask_solved: d.ask_solved,
    options: d.options.map((o) => ({ ...o, tags: splitTags(o.tags) })),
  };
}

/** Another scale: its preset's options (one per score); the title and the solved question stay. */
export function withScale(
  d: TemplateDraft,
  scale: RatingScale,
  presets: RatingTemplates['presets'],
): TemplateDraft {
  return { ...toDraft(presets[scale]), prompt: d.prompt, ask_solved: d.ask_solved };
}

/** How a score is named on the form and in its errors: 3 星, 7 分, 好评 / 差评. */
export function scoreName(t: Translate, scale: RatingScale, score: number): string {
  if (scale === 'two_level') return t(score === 1 ? 'rt_good' : 'rt_bad');
  return t(scale === 'five_star' ? 'rt_stars' : 'rt_points', { n: score });
}

/** The score the preview starts with: the best one (its tags are the ones most often picked). */
export function bestScore(d: TemplateDraft): number {
  return Math.max(...d.options.map((o) => o.score));
}
