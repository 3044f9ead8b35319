import type { Connection, Model } from 'mongoose';
import { newId } from '../ids.js';
import { loginFailureModel, type LoginFailureDoc } from '../model/login-failure.js';

/** Failed agent sign-ins, one document each (model/login-failure.ts). */
export class LoginFailureRepository {
  private readonly model: Model<LoginFailureDoc>;
  constructor(conn: Connection) {
    this.model = loginFailureModel(conn);
  }

  async saveLoginFailure(username: string, at: Date): Promise<void> {
    await this.model.create({ _id: newId(at.getTime()), username, at });
  }

  /** The times of every stored failure of `username`, oldest first. */
  async listLoginFailures(username: string): Promise<Date[]> {
    const docs = await this.model.find({ username }, { at: 1 }).sort({ at: 1 }).lean();
    return docs.map((d) => d.at);
  }

  /** Deletes the failures of `username` (all, or those before `before`). */
  async removeLoginFailures(username: string, before?: Date): Promise<number> {
    const filter = before === undefined ? { username } : { username, at: { $lt: before } };
    return (await this.model.deleteMany(filter)).deletedCount;
  }

  /** Deletes every account's failures older than `before`. */
  async removeLoginFailuresBefore(before: Date): Promise<number> {
    return (await this.model.deleteMany({ at: { $lt: before } })).deletedCount;
  }
}
