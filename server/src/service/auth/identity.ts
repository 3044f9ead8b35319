import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthenticatedError } from '../../errors.js';

/**
 * A customer identity as the mall backend signs it (like Intercom's user_hash, DESIGN.md §3).
 * `ts` is Unix seconds at signing time.
 */
export interface CustomerIdentity {
  user_id: string;
  name?: string | undefined;
  phone?: string | undefined;
  level?: number | undefined;
  ts: number;
}

/**
 * The signed string: the fields joined by "\n" in this order, absent ones as empty strings:
 * `user_id \n name \n phone \n level \n ts`. Documented for the mall's backend team in server/README.md.
 */
export function canonicalIdentity(identity: CustomerIdentity): string {
  return [
    identity.user_id,
    identity.name ?? '',
    identity.phone ?? '',
    identity.level === undefined ? '' : String(identity.level),
    String(identity.ts),
  ].join('\n');
}

/** Lowercase hex HMAC-SHA256 of the canonical string; what the mall backend computes. */
export function signIdentity(secret: string, identity: CustomerIdentity): string {
  return createHmac('sha256', secret).update(canonicalIdentity(identity), 'utf8').digest('hex');
}

/** Throws UnauthenticatedError unless the signature matches and `ts` is within `maxAgeS` of now. */
export function verifyIdentity(
  secret: string,
  identity: CustomerIdentity,
  signature: string,
  maxAgeS: number,
  nowS: number = Math.floor(Date.now() / 1000),
): void {
  const expected = Buffer.from(signIdentity(secret, identity), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new UnauthenticatedError('The identity signature is invalid');
  }
  if (Math.abs(nowS - identity.ts) > maxAgeS) {
    throw new UnauthenticatedError('The identity signature has expired; sign it again');
  }
}
