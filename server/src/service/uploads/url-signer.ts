import { createHmac, timingSafeEqual } from 'node:crypto';
import { ForbiddenError } from '../../errors.js';

export type UploadVariant = 'original' | 'thumbnail';

/**
 * The permanent path of a variant, stored in messages (messages live forever; signatures expire). The
 * HTTP routes serve it; the message service writes it into voice contents.
 */
export function uploadPath(id: string, variant: UploadVariant): string {
  return variant === 'original' ? `/api/v1/uploads/${id}` : `/api/v1/uploads/${id}/thumbnail`;
}

export interface Signature {
  /** Unix seconds */
  exp: number;
  sig: string;
}

/**
 * Short-lived download signatures for `<img src>` and `<audio src>`, which cannot send a bearer header:
 * HMAC-SHA256 over upload id, variant and expiry, so a signature opens one variant of one upload until
 * `exp` and nothing else.
 */
export class UploadUrlSigner {
  constructor(
    private readonly secret: string,
    readonly ttlS: number,
  ) {}

  private mac(id: string, variant: UploadVariant, exp: number): Buffer {
    return createHmac('sha256', this.secret)
      .update(`${id}\n${variant}\n${String(exp)}`)
      .digest();
  }

  sign(id: string, variant: UploadVariant, nowMs = Date.now()): Signature {
    const exp = Math.floor(nowMs / 1000) + this.ttlS;
    return { exp, sig: this.mac(id, variant, exp).toString('base64url') };
  }

  /** Throws ForbiddenError unless `sig` was made by `sign` for this id and variant and `exp` is ahead. */
  verify(id: string, variant: UploadVariant, exp: number, sig: string, nowMs = Date.now()): void {
    const expected = this.mac(id, variant, exp);
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ForbiddenError('The signed URL is not valid');
    }
    if (exp * 1000 <= nowMs) throw new ForbiddenError('The signed URL has expired');
  }
}
