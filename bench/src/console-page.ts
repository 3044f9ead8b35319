// What bench:console does in the agent console page, timed inside the page (performance.now(),
// requestAnimationFrame, resource timing) so Playwright's round trips are not part of the figures.
import type { Page } from 'playwright-core';
import { AGENT } from './console-stack.js';
import { percentile, round } from './stats.js';

/** Frame times (ms) while the element is scrolled by 120 px once per animation frame for `ms`. */
export async function scrollFrames(
  page: Page,
  selector: string,
  direction: 1 | -1,
  ms: number,
): Promise<number[]> {
  return page.evaluate(
    ({ selector, direction, ms }) =>
      new Promise<number[]>((resolve) => {
        const el = document.querySelector(selector);
        const frames: number[] = [];
        if (!el) {
          resolve(frames);
          return;
        }
        const start = performance.now();
        let last = start;
        const tick = (now: number): void => {
          frames.push(now - last);
          last = now;
          el.scrollTop += direction * 120;
          if (now - start < ms) requestAnimationFrame(tick);
          else resolve(frames.slice(1));
        };
        requestAnimationFrame(tick);
      }),
    { selector, direction, ms },
  );
}

const asc = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
export const p50 = (xs: readonly number[]): number => round(percentile(asc(xs), 50));

export function frameStats(unsorted: number[]): Record<string, number> {
  const frames = asc(unsorted);
  return {
    frames: frames.length,
    p50_ms: round(percentile(frames, 50)),
    p95_ms: round(percentile(frames, 95)),
    max_ms: round(Math.max(...frames)),
    over_50ms: frames.filter((f) => f > 50).length,
  };
}

/**
 * How long the list may take after signing in. Generous: with 500 chats it shows only once the sign-in
 * traffic (one state per open chat) is over — each state restarts the list request (bench/README.md).
 */
const SIGN_IN_TIMEOUT_MS = 180_000;

/** Signs the bench agent in; ms from the click to the first conversation row. */
export async function signIn(page: Page, base: string, selector = '.conv'): Promise<number> {
  await page.goto(`${base}/console/`);
  await page.fill('input[name=username]', AGENT.username);
  await page.fill('input[name=password]', AGENT.password);
  const t0 = Date.now();
  await page.click('button[type=submit]');
  try {
    await page.waitForSelector(selector, { timeout: SIGN_IN_TIMEOUT_MS });
  } catch (err) {
    // Say what the agent sees instead (an error notice, the sign-in form again, an empty list).
    const shown = (await page.innerText('body').catch(() => '')).replace(/\s+/g, ' ').slice(0, 400);
    throw new Error(`no ${selector} after signing in; the page shows: ${shown}`, { cause: err });
  }
  return Date.now() - t0;
}

/** Click → the newest message's row is in the DOM, measured in the page. */
export async function openConversation(page: Page, id: string, newestSeq: number): Promise<number> {
  return page.evaluate(
    ({ id, newestSeq }) =>
      new Promise<number>((resolve, reject) => {
        const row = document.querySelector<HTMLElement>(`[data-conversation="${id}"]`);
        if (!row) {
          reject(new Error('conversation row not rendered'));
          return;
        }
        const t0 = performance.now();
        const check = (): void => {
          if (document.querySelector(`.msg[data-seq="${String(newestSeq)}"]`))
            resolve(performance.now() - t0);
          else if (performance.now() - t0 > 30_000) reject(new Error('newest message not shown after 30 s'));
          else requestAnimationFrame(check);
        };
        row.click();
        requestAnimationFrame(check);
      }),
    { id, newestSeq },
  );
}

/** The duration of the page's last history request (server + database), from resource timing. */
export async function lastHistoryRequest(page: Page): Promise<number> {
  return page.evaluate(() => {
    const entries = performance.getEntriesByType('resource').filter((e) => e.name.includes('/messages?'));
    return entries.at(-1)?.duration ?? -1;
  });
}

/** The message rows in the DOM, and the oldest seq among them. */
export async function messageRows(page: Page): Promise<{ rows: number; oldestSeq: number }> {
  return page.evaluate(() => {
    const seqs = [...document.querySelectorAll<HTMLElement>('.msg')].map((e) => Number(e.dataset['seq']));
    return { rows: seqs.length, oldestSeq: Math.min(...seqs) };
  });
}

/**
 * Clicks `count` rows of the (virtualised) list that are on screen, one after the other: ms from each
 * click to its thread on screen, −1 for one not shown within 10 s.
 */
export async function clickRows(page: Page, count: number): Promise<number[]> {
  const clicks: number[] = [];
  for (let k = 0; k < count; k++) {
    clicks.push(
      await page
        .evaluate(
          (nth) =>
            new Promise<number>((resolve, reject) => {
              const rows = [...document.querySelectorAll<HTMLElement>('.conv:not(.selected)')];
              const row = rows[nth % Math.max(1, rows.length)];
              const id = row?.dataset['conversation'];
              if (!row || !id) {
                reject(new Error('no conversation row on screen'));
                return;
              }
              const t0 = performance.now();
              row.click();
              const check = (): void => {
                const selected = document.querySelector(`.conv.selected[data-conversation="${id}"]`);
                if (selected && document.querySelector('.thread .msg')) resolve(performance.now() - t0);
                else if (performance.now() - t0 > 10_000) reject(new Error('thread not shown after 10 s'));
                else requestAnimationFrame(check);
              };
              requestAnimationFrame(check);
            }),
          k,
        )
        .catch(() => -1),
    );
  }
  return clicks;
}
