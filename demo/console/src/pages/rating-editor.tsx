// One rating template's form (满意度评价 › the default or a skill group's): scale, title, the solved
// question, and per score its label, tags and whether a tag or a comment is required, with the live
// preview beside it. The server's refusals show next to their fields; a save says so.
import type { ComponentChildren, JSX } from 'preact';
import { useState } from 'preact/hooks';
import { bound, Choice, errorsOf, type ShownError } from '../components/admin-form.js';
import type { StringKey, Translate } from '../i18n/index.js';
import {
  bestScore,
  RATING_SCALES,
  scoreName,
  templateBody,
  toDraft,
  withScale,
  type OptionDraft,
  type RatingScale,
  type RatingTemplate,
  type RatingTemplates,
  type TemplateDraft,
} from './rating-draft.js';
import { refusals, type Refusal } from './rating-errors.js';
import { RatingPreview } from './rating-preview.js';

interface Props {
  t: Translate;
  /** The form's accessible name. */
  name: string;
  initial: RatingTemplate;
  presets: RatingTemplates['presets'];
  save: (body: RatingTemplate) => Promise<RatingTemplate>;
  /** The notice after a save. */
  savedText: string;
  onSaved: () => void;
  /** More buttons after 保存 (cancel, remove). */
  children?: ComponentChildren;
}

/** The refusals that belong next to one field. */
function Refused({ list, slot }: { list: Refusal[]; slot: string }): JSX.Element | null {
  const mine = list.filter((r) => r.slot === slot);
  if (mine.length === 0) return null;
  return (
    <span class="error field-error" role="alert" data-path={slot}>
      {mine.map((r) => r.text).join('；')}
    </span>
  );
}

export function RatingEditor({
  t,
  name,
  initial,
  presets,
  save,
  savedText,
  onSaved,
  children,
}: Props): JSX.Element {
  const [draft, setDraft] = useState<TemplateDraft>(() => toDraft(initial));
  const [chosen, setChosen] = useState(() => bestScore(toDraft(initial)));
  // The refused fields and the draft they were sent with (tag positions refer to it).
  const [failure, setFailure] = useState<{ errors: ShownError[]; sent: TemplateDraft }>();
  const [saved, setSaved] = useState(false);
  const list = failure ? refusals(t, failure.errors, failure.sent) : [];
  const bad = (slot: string): boolean => list.some((r) => r.slot === slot);

  const update = (patch: Partial<TemplateDraft>): void => {
    setDraft((d) => ({ ...d, ...patch }));
    setSaved(false);
  };
  const setOption = (i: number, patch: Partial<OptionDraft>): void => {
    setDraft((d) => ({ ...d, options: d.options.map((o, j) => (j === i ? { ...o, ...patch } : o)) }));
    setSaved(false);
  };
  const setScale = (scale: string): void => {
    const next = withScale(draft, scale as RatingScale, presets);
    setDraft(next);
    setChosen(bestScore(next));
    setFailure(undefined);
    setSaved(false);
  };
  const submit = (e: Event): void => {
    e.preventDefault();
    setSaved(false);
    const sent = draft;
    save(templateBody(sent)).then(
      (stored) => {
        setDraft(toDraft(stored));
        setFailure(undefined);
        setSaved(true);
        onSaved();
      },
      (err: unknown) => {
        setFailure({ errors: errorsOf(err), sent });
      },
    );
  };

  return (
    <form class="rating-editor" aria-label={name} onSubmit={submit}>
      <div class="rating-layout">
        <div class="rating-fields">
          <div class="inline">
            <Choice
              label={t('rt_scale')}
              options={RATING_SCALES.map((s) => [s, t(`scale_${s}` as StringKey)])}
              field={bound(draft.scale, setScale, bad('scale'), 'scale')}
            />
            <Refused list={list} slot="scale" />
            <span class="muted">{t('rt_scaleHint')}</span>
          </div>
          <div class="inline">
            <label>
              {t('rt_prompt')}{' '}
              <input
                required
                maxLength={200}
                size={40}
                {...bound(
                  draft.prompt,
                  (prompt) => {
                    update({ prompt });
                  },
                  bad('prompt'),
                  'prompt',
                )}
              />
            </label>
            <Refused list={list} slot="prompt" />
            <label class="check">
              <input
                type="checkbox"
                name="ask_solved"
                checked={draft.ask_solved}
                onChange={(e) => {
                  update({ ask_solved: (e.target as HTMLInputElement).checked });
                }}
              />
              {t('rt_askSolved')}
            </label>
          </div>
          <table class="rating-options">
            <caption>{t('rt_options')}</caption>
            <thead>
              <tr>
                <th>{t('rt_score')}</th>
                <th>{t('rt_label')}</th>
                <th>{t('rt_tags')}</th>
                <th>{t('rt_tagRequired')}</th>
                <th>{t('rt_commentRequired')}</th>
              </tr>
            </thead>
            <tbody>
              {draft.options.map((o, i) => {
                const score = scoreName(t, draft.scale, o.score);
                const path = `options.${String(i)}`;
                return (
                  <tr
                    key={`${draft.scale}-${String(o.score)}`}
                    data-score={o.score}
                    class={o.score === chosen ? 'chosen' : undefined}
                    onFocusIn={() => {
                      setChosen(o.score);
                    }}
                  >
                    <td>{score}</td>
                    <td>
                      <input
                        aria-label={`${score} ${t('rt_label')}`}
                        maxLength={20}
                        size={10}
                        {...bound(
                          o.label,
                          (label) => {
                            setOption(i, { label });
                          },
                          bad(`${path}.label`),
                          `${path}.label`,
                        )}
                      />
                      <Refused list={list} slot={`${path}.label`} />
                    </td>
                    <td>
                      <input
                        aria-label={`${score} ${t('rt_tags')}`}
                        placeholder={t('commaSeparated')}
                        size={30}
                        {...bound(
                          o.tags,
                          (tags) => {
                            setOption(i, { tags });
                          },
                          bad(`${path}.tags`),
                          `${path}.tags`,
                        )}
                      />
                      <Refused list={list} slot={`${path}.tags`} />
                    </td>
                    {(['tag_required', 'comment_required'] as const).map((k) => (
                      <td key={k}>
                        <input
                          type="checkbox"
                          name={`${path}.${k}`}
                          aria-label={`${score} ${t(k === 'tag_required' ? 'rt_tagRequired' : 'rt_commentRequired')}`}
                          checked={o[k]}
                          onChange={(e) => {
                            setOption(i, { [k]: (e.target as HTMLInputElement).checked });
                          }}
                        />
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <RatingPreview t={t} draft={draft} chosen={chosen} onChoose={setChosen} />
      </div>
      <Refused list={list} slot="" />
      <div class="inline">
        <button type="submit" class="primary">
          {t('save')}
        </button>
        {children}
        {saved ? (
          <span class="flash" role="status">
            {savedText}
          </span>
        ) : null}
      </div>
    </form>
  );
}
