import { randomBytes } from 'node:crypto';
import { ulid } from '@kefu/proto';

/** A new ULID (conversation, message and event ids). */
export function newId(now: number = Date.now()): string {
  return ulid((n) => randomBytes(n), now);
}
