import type { Connection, Model, UpdateQuery } from 'mongoose';
import { settingModel, type SettingDoc } from '../model/setting.js';
import { isDuplicateKey } from './errors.js';

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

  /** Replaces one key's value (upsert). */
  async saveSetting(key: string, value: Record<string, unknown>, now = new Date()): Promise<void> {
    await this.upsert(key, { $set: { value, updated_at: now } });
  }

  /**
   * Raises numbers in one key's value to at least the ones given (`$max` per field, a single-document
   * upsert): several instances each add what they know, and a lower number never replaces a higher one.
   * Field names must be plain words (no "." or "$").
   */
  async raiseNumbers(key: string, numbers: Record<string, number>, now = new Date()): Promise<void> {
    const fields = Object.entries(numbers).filter(([name]) => /^[\w-]+$/.test(name));
    if (fields.length === 0) return;
    await this.upsert(key, {
      $max: Object.fromEntries(fields.map(([name, n]) => [`value.${name}`, n])),
      $set: { updated_at: now },
    });
  }

  /**
   * A single-document upsert. Two upserts of a new key at once can both try the insert; the loser's
   * duplicate-key error means the document exists now, so it updates it.
   */
  private async upsert(key: string, update: UpdateQuery<SettingDoc>): Promise<void> {
    try {
      await this.model.updateOne({ _id: key }, update, { upsert: true });
    } catch (err) {
      if (!isDuplicateKey(err)) throw err;
      await this.model.updateOne({ _id: key }, update);
    }
  }
}
