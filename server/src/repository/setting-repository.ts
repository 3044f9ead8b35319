import type { Connection, Model } from 'mongoose';
import { settingModel, type SettingDoc } from '../model/setting.js';

/** Settings documents by key; callers validate what they read (stored values may predate a change). */
export class SettingRepository {
  private readonly model: Model<SettingDoc>;
  constructor(conn: Connection) {
    this.model = settingModel(conn);
  }

  async findSetting(key: string): Promise<Record<string, unknown> | null> {
    const doc = await this.model.findById(key).lean();
    return doc?.value ?? null;
  }

  /** Replaces one key's value (a single-document upsert). */
  async saveSetting(key: string, value: Record<string, unknown>, now = new Date()): Promise<void> {
    await this.model.updateOne({ _id: key }, { $set: { value, updated_at: now } }, { upsert: true });
  }
}
