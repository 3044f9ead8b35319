import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

export { getFreePort } from './ports.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** mongodb://127.0.0.1:port/ of the FerretDB shared by the whole test run; add a database name. */
    mongodbUri: string;
  }
}

/** A connection string to a fresh, uniquely named database on the run's FerretDB. */
export function testMongoUri(label: string): string {
  const safe = label.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30);
  return `${inject('mongodbUri')}t_${safe}_${randomBytes(4).toString('hex')}`;
}

/** Polls `check` until it returns a truthy value or `timeoutMs` passes (then throws with `what`). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 25 } = {},
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const suffix = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
  throw new Error(`timed out after ${String(timeoutMs)} ms waiting for ${what}${suffix}`);
}
