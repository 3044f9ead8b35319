// What the server refused in a rating template (400 `error.details.fields`, zod's English messages) as
// short sentences in the agent's language, and the form field each one shows next to.
import type { ShownError } from '../components/admin-form.js';
import { errorText } from '../error-text.js';
import type { Translate } from '../i18n/index.js';
import { scoreName, splitTags, type TemplateDraft } from './rating-draft.js';

/** A refusal as shown: the field it belongs to ("" = below the form) and the sentence. */
export interface Refusal {
  slot: string;
  text: string;
}

const OPTION = /^options\.(\d+)(?:\.(label|tags))?(?:\.(\d+))?/;
const PLAIN_FIELDS = ['prompt', 'scale', 'ask_solved'];

/** What is wrong, from zod's message ("Too big: expected string to have <=20 characters"). */
function what(t: Translate, message: string): string {
  const big = /too big: expected (string|array) to have <=\s*(\d+)/i.exec(message);
  if (big) return t(big[1] === 'string' ? 'rt_tooLong' : 'rt_tooMany', { max: Number(big[2]) });
  if (/too small: expected string/i.test(message)) return t('rt_empty');
  return t('field_invalid');
}

function refusal(t: Translate, f: ShownError, draft: TemplateDraft): Refusal {
  if (!f.path) return { slot: '', text: errorText(t, f) };
  if (PLAIN_FIELDS.includes(f.path)) return { slot: f.path, text: what(t, f.message) };
  const m = OPTION.exec(f.path);
  const option = m ? draft.options[Number(m[1])] : undefined;
  if (!m || !option)
    return { slot: '', text: t('fieldError', { field: t('rt_options'), what: what(t, f.message) }) };
  const part = m[2];
  if (!part) {
    const field = scoreName(t, draft.scale, option.score);
    return { slot: '', text: t('fieldError', { field, what: what(t, f.message) }) };
  }
  const slot = `options.${m[1] ?? ''}.${part}`;
  // One tag of the list: name it, the list may be long.
  const tag = m[3] === undefined ? undefined : splitTags(option.tags)[Number(m[3])];
  if (tag !== undefined)
    return { slot, text: t('fieldError', { field: `“${tag}”`, what: what(t, f.message) }) };
  return { slot, text: what(t, f.message) };
}

/** Every refusal of a failed save, each with its field. */
export function refusals(t: Translate, errors: ShownError[], draft: TemplateDraft): Refusal[] {
  return errors.map((f) => refusal(t, f, draft));
}
