import { createHash } from 'node:crypto';
import type { Connection, Model } from 'mongoose';
import { ssoClaimModel, type SsoClaimDoc } from '../model/sso-claim.js';
import { isDuplicateKey } from './errors.js';

export interface PendingLogin {
  codeVerifier: string;
  nonce: string;
  returnTo: string;
  redirectUri: string;
}

function key(kind: SsoClaimDoc['kind'], secret: string): string {
  return `${kind}:${createHash('sha256').update(secret).digest('hex')}`;
}

export class SsoClaimRepository {
  private readonly model: Model<SsoClaimDoc>;
  constructor(conn: Connection) {
    this.model = ssoClaimModel(conn);
  }

  async saveLogin(state: string, login: PendingLogin, expiresAt: Date): Promise<void> {
    await this.removeExpired();
    await this.model.create({
      _id: key('login', state),
      kind: 'login',
      expires_at: expiresAt,
      code_verifier: login.codeVerifier,
      nonce: login.nonce,
      return_to: login.returnTo,
      redirect_uri: login.redirectUri,
    });
  }

  /** The pending login sent with `state`, at most once; null when unknown, expired or already used. */
  async consumeLogin(state: string, now = new Date()): Promise<PendingLogin | null> {
    const doc = await this.consume(key('login', state), now);
    if (!doc?.code_verifier || !doc.nonce || !doc.return_to || !doc.redirect_uri) return null;
    return {
      codeVerifier: doc.code_verifier,
      nonce: doc.nonce,
      returnTo: doc.return_to,
      redirectUri: doc.redirect_uri,
    };
  }

  async saveTicket(ticket: string, uid: string, expiresAt: Date): Promise<void> {
    await this.removeExpired();
    await this.model.create({ _id: key('ticket', ticket), kind: 'ticket', expires_at: expiresAt, uid });
  }

  /** The agent uid the ticket was issued for, at most once. */
  async consumeTicket(ticket: string, now = new Date()): Promise<string | null> {
    return (await this.consume(key('ticket', ticket), now))?.uid ?? null;
  }

  /**
   * findOneAndDelete alone is single-use on MongoDB, but FerretDB 1.24 does not make it atomic; inserting
   * a `used` marker with a unique _id is atomic on both, so exactly one of two concurrent callers wins.
   */
  private async consume(id: string, now: Date): Promise<SsoClaimDoc | null> {
    const doc = await this.model.findOneAndDelete({ _id: id }).lean();
    if (!doc || doc.expires_at.getTime() <= now.getTime()) return null;
    try {
      await this.model.create({ _id: `used:${id}`, kind: 'used', expires_at: doc.expires_at });
    } catch (err) {
      if (isDuplicateKey(err)) return null;
      throw err;
    }
    return doc;
  }

  private async removeExpired(now = new Date()): Promise<void> {
    await this.model.deleteMany({ expires_at: { $lt: now } });
  }
}
