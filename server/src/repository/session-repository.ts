import type { Connection, Model } from 'mongoose';
import { refreshUseModel, sessionModel, type RefreshUseDoc, type SessionDoc } from '../model/session.js';
import { isDuplicateKey } from './errors.js';

export interface Session {
  sid: string;
  uid: string;
  role: 'customer' | 'agent';
  kind: 'customer' | 'visitor' | 'agent';
  createdAt: Date;
  expiresAt: Date;
}

/** The first use of a refresh token, or when it was first used. */
export type RefreshUse = { first: true } | { first: false; usedAt: Date };

export class SessionRepository {
  private readonly model: Model<SessionDoc>;
  private readonly uses: Model<RefreshUseDoc>;
  constructor(conn: Connection) {
    this.model = sessionModel(conn);
    this.uses = refreshUseModel(conn);
  }

  /** Marks a refresh token used; a unique insert, so of two concurrent uses exactly one is first. */
  async useRefreshToken(key: string, sid: string, at = new Date()): Promise<RefreshUse> {
    try {
      await this.uses.create({ _id: key, sid, used_at: at });
      return { first: true };
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      const earlier = await this.uses.findById(key).lean();
      return { first: false, usedAt: earlier?.used_at ?? at };
    }
  }

  async saveSession(s: Session): Promise<void> {
    await this.model.create({
      _id: s.sid,
      uid: s.uid,
      role: s.role,
      kind: s.kind,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    });
  }

  async findSession(sid: string): Promise<Session | null> {
    const doc = await this.model.findById(sid).lean();
    return doc
      ? {
          sid: doc._id,
          uid: doc.uid,
          role: doc.role,
          kind: doc.kind,
          createdAt: doc.created_at,
          expiresAt: doc.expires_at,
        }
      : null;
  }

  async removeSession(sid: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: sid });
    await this.uses.deleteMany({ sid });
    return result.deletedCount > 0;
  }

  /** Ends every session of a user (password reset, account disabled); returns how many there were. */
  async removeSessionsOf(uid: string): Promise<number> {
    const sids = (await this.model.find({ uid }, { _id: 1 }).lean()).map((d) => d._id);
    const result = await this.model.deleteMany({ uid });
    if (sids.length) await this.uses.deleteMany({ sid: { $in: sids } });
    return result.deletedCount;
  }

  async removeExpiredSessions(now = new Date()): Promise<number> {
    const sids = (await this.model.find({ expires_at: { $lt: now } }, { _id: 1 }).lean()).map((d) => d._id);
    if (sids.length === 0) return 0;
    const result = await this.model.deleteMany({ _id: { $in: sids } });
    await this.uses.deleteMany({ sid: { $in: sids } });
    return result.deletedCount;
  }
}
