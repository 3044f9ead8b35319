// A rating form: 5 stars, NPS or two-level, tags, a comment and "solved?" (REFERENCE.md "Rating").
import { kefu } from '@kefu/proto';
import { useState } from 'preact/hooks';
import type { JSX } from 'preact';
import type { Chat } from './chat.js';
import type { Strings } from './i18n.js';

const { RatingScale, Solved } = kefu.v1;

export function RatingForm({
  chat,
  t,
  invite,
  done,
}: {
  chat: Chat;
  t: Strings;
  invite: kefu.v1.IRatingInvite;
  done: boolean;
}): JSX.Element {
  const scale = invite.scale || RatingScale.RATING_SCALE_FIVE_STAR;
  const [score, setScore] = useState<number | undefined>(undefined);
  const [tags, setTags] = useState<string[]>([]);
  const [comment, setComment] = useState('');
  const [solved, setSolved] = useState<kefu.v1.Solved>(Solved.SOLVED_UNSPECIFIED);
  const [error, setError] = useState('');
  if (done) return <div class="sys">{t.rateThanks}</div>;
  const option = (invite.options ?? []).find((o) => o.score === score);
  // The template's words for a score (the admin's labels), else the built-in ones.
  const label = (n: number, fallback: string | undefined): string =>
    (invite.options ?? []).find((o) => o.score === n)?.label || fallback || String(n);
  const submit = (declined: boolean): void => {
    if (!declined) {
      if (score === undefined) {
        setError(t.rateNeedScore);
        return;
      }
      if (option?.tagRequired && tags.length === 0) {
        setError(t.rateNeedTag);
        return;
      }
      if (option?.commentRequired && !comment.trim()) {
        setError(t.rateNeedComment);
        return;
      }
    }
    chat.rate({
      inviteId: invite.inviteId ?? '',
      scale,
      score: declined ? 0 : (score ?? 0),
      tags,
      comment: comment.trim().slice(0, 1000),
      solved,
      declined,
    });
  };
  return (
    <form
      class="fm"
      data-testid="rating"
      onSubmit={(e) => {
        e.preventDefault();
        submit(false);
      }}
    >
      <h3>{invite.prompt || t.rateTitle}</h3>
      <p>{t.ratePrompt}</p>
      {scale === RatingScale.RATING_SCALE_FIVE_STAR && (
        <div class="sts" role="radiogroup" aria-label={t.rateTitle}>
          {[1, 2, 3, 4, 5].map((n) => (
            <button
              type="button"
              key={n}
              class={score !== undefined && n <= score ? 'st on' : 'st'}
              role="radio"
              aria-checked={score === n}
              aria-label={label(n, t.stars[n - 1])}
              title={label(n, t.stars[n - 1])}
              onClick={() => {
                setScore(n);
              }}
            >
              ★
            </button>
          ))}
        </div>
      )}
      {scale === RatingScale.RATING_SCALE_NPS && (
        <div>
          <div class="nps" role="radiogroup">
            {Array.from({ length: 11 }, (_, n) => (
              <button
                type="button"
                key={n}
                class={score === n ? 'on' : ''}
                role="radio"
                aria-checked={score === n}
                onClick={() => {
                  setScore(n);
                }}
              >
                {n}
              </button>
            ))}
          </div>
          <div class="two" style="justify-content:space-between">
            <span>{t.npsLow}</span>
            <span>{t.npsHigh}</span>
          </div>
        </div>
      )}
      {scale === RatingScale.RATING_SCALE_TWO_LEVEL && (
        <div class="two" role="radiogroup">
          <button
            type="button"
            class={score === 1 ? 'on' : ''}
            role="radio"
            aria-checked={score === 1}
            onClick={() => {
              setScore(1);
            }}
          >
            👍 {label(1, t.satisfied)}
          </button>
          <button
            type="button"
            class={score === 0 ? 'on' : ''}
            role="radio"
            aria-checked={score === 0}
            onClick={() => {
              setScore(0);
            }}
          >
            👎 {label(0, t.unsatisfied)}
          </button>
        </div>
      )}
      {scale !== RatingScale.RATING_SCALE_TWO_LEVEL && option?.label && option.label !== String(score) && (
        <p class="rl" data-testid="rating-label">
          {option.label}
        </p>
      )}
      {option && (option.tags ?? []).length > 0 && (
        <div class="tags">
          {(option.tags ?? []).map((tag) => (
            <button
              type="button"
              key={tag}
              class={tags.includes(tag) ? 'on' : ''}
              aria-pressed={tags.includes(tag)}
              onClick={() => {
                setTags(tags.includes(tag) ? tags.filter((x) => x !== tag) : [...tags, tag]);
              }}
            >
              {tag}
            </button>
          ))}
        </div>
      )}
      {invite.askSolved && (
        <div class="sv">
          {t.solvedQ}
          <button
            type="button"
            class={solved === Solved.SOLVED_YES ? 'on' : ''}
            aria-pressed={solved === Solved.SOLVED_YES}
            onClick={() => {
              setSolved(Solved.SOLVED_YES);
            }}
          >
            {t.yes}
          </button>
          <button
            type="button"
            class={solved === Solved.SOLVED_NO ? 'on' : ''}
            aria-pressed={solved === Solved.SOLVED_NO}
            onClick={() => {
              setSolved(Solved.SOLVED_NO);
            }}
          >
            {t.no}
          </button>
        </div>
      )}
      <label>
        {t.comment}
        <textarea
          rows={2}
          maxLength={1000}
          value={comment}
          onInput={(e) => {
            setComment(e.currentTarget.value);
          }}
        />
      </label>
      {error && <div class="err">{error}</div>}
      <div class="row">
        <button
          type="button"
          class="btn g"
          onClick={() => {
            submit(true);
          }}
        >
          {t.rateDecline}
        </button>
        <button type="submit" class="btn">
          {t.rateSubmit}
        </button>
      </div>
    </form>
  );
}
