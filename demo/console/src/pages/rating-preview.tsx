// What a customer sees of a rating template (like the chat widget's rating form): the title, the scale
// with each score's label, the tags offered for the chosen score, the solved question and the comment
// box. Clicking a score shows its tags; nothing is sent.
import type { JSX } from 'preact';
import type { Translate } from '../i18n/index.js';
import type { OptionDraft, TemplateDraft } from './rating-draft.js';
import { splitTags } from './rating-draft.js';

interface PreviewProps {
  t: Translate;
  draft: TemplateDraft;
  /** The score clicked in the preview (0: none). */
  chosen: number;
  onChoose: (score: number) => void;
}

function ScoreButtons({ t, draft, chosen, onChoose }: PreviewProps): JSX.Element {
  // Two levels: the good one first, as the widget shows them.
  const options = draft.scale === 'two_level' ? [...draft.options].reverse() : draft.options;
  const on = (o: OptionDraft): boolean =>
    draft.scale === 'five_star' ? o.score <= chosen : o.score === chosen;
  return (
    <div class={`rp-scale rp-${draft.scale}`} role="radiogroup" aria-label={t('rt_scale')}>
      {options.map((o) => (
        <button
          type="button"
          key={o.score}
          role="radio"
          aria-checked={o.score === chosen}
          class={on(o) ? 'on' : ''}
          title={o.label}
          data-score={o.score}
          onClick={() => {
            onChoose(o.score);
          }}
        >
          {draft.scale === 'five_star'
            ? '★'
            : draft.scale === 'nps'
              ? String(o.score)
              : `${o.score === 1 ? '👍' : '👎'} ${o.label}`}
        </button>
      ))}
    </div>
  );
}

export function RatingPreview({ t, draft, chosen, onChoose }: PreviewProps): JSX.Element {
  const option = draft.options.find((o) => o.score === chosen);
  const tags = splitTags(option?.tags ?? '');
  return (
    <aside class="rating-preview" aria-label={t('rt_preview')}>
      <h4 class="muted">{t('rt_preview')}</h4>
      <div class="rp-card">
        <b class="rp-title">{draft.prompt.trim() || '—'}</b>
        <p class="muted">{t('rp_subtitle')}</p>
        <ScoreButtons t={t} draft={draft} chosen={chosen} onChoose={onChoose} />
        {draft.scale === 'nps' ? (
          <div class="rp-ends muted">
            <span>{t('rp_npsLow')}</span>
            <span>{t('rp_npsHigh')}</span>
          </div>
        ) : null}
        {draft.scale !== 'two_level' ? (
          <p class="rp-label" data-field="preview-label">
            {option?.label.trim() || '—'}
          </p>
        ) : null}
        <div class="rp-tags" data-field="preview-tags">
          {tags.length > 0 ? (
            tags.map((tag) => (
              <span key={tag} class="tag">
                {tag}
              </span>
            ))
          ) : (
            <span class="muted">{t('rp_noTags')}</span>
          )}
        </div>
        {option?.tag_required && tags.length > 0 ? <p class="muted">{t('rp_tagRequired')}</p> : null}
        {draft.ask_solved ? (
          <p class="rp-solved" data-field="preview-solved">
            {t('rp_solved')} <span class="tag">{t('yes')}</span>
            <span class="tag">{t('no')}</span>
          </p>
        ) : null}
        <textarea
          rows={2}
          disabled
          aria-label={t('rp_comment')}
          placeholder={option?.comment_required ? t('rp_commentRequired') : t('rp_comment')}
        />
        <div class="row">
          <button type="button" disabled>
            {t('rp_decline')}
          </button>
          <button type="button" class="primary" disabled>
            {t('rp_submit')}
          </button>
        </div>
      </div>
      <p class="muted small-print">{t('rp_pick')}</p>
    </aside>
  );
}
