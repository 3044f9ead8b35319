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
  /** Optional mall facts for the agent's customer panel (signed too; see canonicalIdentity). */
  points?: number | undefined;
  vip?: boolean | undefined;
  /** ≤ 10 labels without "," or line breaks. */
  tags?: string[] | undefined;
  avatar?: string | undefined;
}

/**
 * The signed string: the fields joined by "\n" in this order, absent ones as empty strings:
 * `user_id \n name \n phone \n level \n ts`, then — only when any of them is given, so older signers
 * stay valid — `\n points \n vip (1|0) \n tags joined by "," \n avatar`. Documented in server/README.md.
 */
export function canonicalIdentity(identity: CustomerIdentity): string {
  const base = [
    identity.user_id,
    identity.name ?? '',
    identity.phone ?? '',
    identity.level === undefined ? '' : String(identity.level),
    String(identity.ts),
  ];
  const { points, vip, tags, avatar } = identity;
  if (points === undefined && vip === undefined && tags === undefined && avatar === undefined)
    return base.join('\n');
  return [
    ...base,
    points === undefined ? '' : String(points),
    vip === undefined ? '' : vip ? '1' : '0',
    (tags ?? []).join(','),
    avatar ?? '',
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
