// What the mall API tests share: one demo mall for the test file (started before its tests, stopped after
// them; read it inside tests only) and a JSON body read that checks the content type.
import { afterAll, beforeAll, expect } from 'vitest';
import type { RunningMall } from '../src/index.js';
import { mall } from './helpers.js';

export async function json(res: Response): Promise<unknown> {
  expect(res.headers.get('content-type')).toMatch(/^application\/json/);
  return res.json();
}

/** The test file's mall, with default options. */
export function useMall(): { readonly url: string } {
  let m: RunningMall | undefined;
  beforeAll(async () => {
    m = await mall();
  });
  afterAll(async () => {
    await m?.stop();
  });
  return {
    get url() {
      if (!m) throw new Error('the mall starts in beforeAll');
      return m.url;
    },
  };
}
