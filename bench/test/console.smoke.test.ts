import { describe, expect, it } from 'vitest';
import { parseResult, runBench } from './run-bench.js';

describe('bench:console (smoke)', () => {
  it('opens a few chats in Chromium, measures them and prints the figures', async () => {
    const run = await runBench('console', ['--smoke'], 80_000);
    expect(run.code, run.stderr).toBe(0);
    expect(run.leftovers).toEqual([]);
    const result = parseResult(run);
    expect(result).toMatchObject({ bench: 'console', smoke: true, conversations: 5, runs: 2 });
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'messages_in_big_conversation',
        'first_open_after_bulk_import_ms',
        'open_big_conversation_ms',
        'of_which_history_request_ms',
        'sign_in_to_list_ms',
        'history_scroll',
        'list_scroll',
        'list_click_to_chat_ms',
      ]),
    );
  }, 90_000);
});
