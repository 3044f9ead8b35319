import type { Connection, Model } from 'mongoose';
import { sessionModel, type SessionDoc } from '../model/session.js';

export interface Session {
  sid: string;
  uid: string;
  role: 'customer' | 'agent';
  kind: 'customer' | 'visitor' | 'agent';
  createdAt: Date;
  expiresAt: Date;
}

export class SessionRepository {
  private readonly model: Model<SessionDoc>;
  constructor(conn: Connection) {
    this.model = sessionModel(conn);
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
    return result.deletedCount > 0;
  }

  /** Ends every session of a user (password reset, account disabled); returns how many there were. */
  async removeSessionsOf(uid: string): Promise<number> {
    const result = await this.model.deleteMany({ uid });
    return result.deletedCount;
  }

  async removeExpiredSessions(now = new Date()): Promise<number> {
    const result = await this.model.deleteMany({ expires_at: { $lt: now } });
    return result.deletedCount;
  }
}
