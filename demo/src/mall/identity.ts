import { createHmac } from 'node:crypto';
import type { Customer } from './users.js';

/**
 * The development secret the Kefu server uses when IDENTITY_SECRET is unset (server/src/config.ts,
 * DEV_IDENTITY_SECRET); repeated here because the demo does not depend on the server package. A test
 * checks the two stay equal.
 */
export const DEV_IDENTITY_SECRET = 'kefu-dev-identity-secret';

/** The identity the Kefu server verifies (server/src/service/auth/identity.ts). */
export interface SignedIdentity {
  identity: {
    user_id: string;
    name?: string;
    phone?: string;
    level?: number;
    ts: number;
    points?: number;
    vip?: boolean;
    tags?: string[];
  };
  signature: string;
}

/**
 * Signs the customer's identity server-side: lowercase hex HMAC-SHA256 over
 * `user_id \n name \n phone \n level \n ts \n points \n vip (1|0) \n tags (",") \n avatar`, absent
 * fields as empty strings (the last four lines only when any of them is sent). The secret never leaves
 * the mall's backend.
 */
export function signCustomer(secret: string, customer: Customer, nowMs: number = Date.now()): SignedIdentity {
  const identity: SignedIdentity['identity'] = {
    user_id: customer.user_id,
    name: customer.name,
    ...(customer.phone === undefined ? {} : { phone: customer.phone }),
    ...(customer.level === undefined ? {} : { level: customer.level }),
    ts: Math.floor(nowMs / 1000),
    points: customer.points,
    vip: customer.level !== undefined,
    ...(customer.tags === undefined ? {} : { tags: customer.tags }),
  };
  const canonical = [
    identity.user_id,
    identity.name ?? '',
    identity.phone ?? '',
    identity.level === undefined ? '' : String(identity.level),
    String(identity.ts),
    String(identity.points ?? ''),
    identity.vip === undefined ? '' : identity.vip ? '1' : '0',
    (identity.tags ?? []).join(','),
    '',
  ].join('\n');
  const signature = createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
  return { identity, signature };
}
