import type { Connection, Model } from 'mongoose';
import { claimModel, type ClaimDoc } from '../model/conversation.js';
import { isDuplicateKey } from './errors.js';

/**
 * Claims (`claims`): a key taken once, by inserting it as the `_id` — the one write atomic on MongoDB and
 * FerretDB alike (README.md). Conversations take them for what must happen once: the customer's one open
 * chat (`open:`), one assignment (`assign:`), one transfer per assignment (`transfer:`) and the timeouts'
 * actions (`timeout:`, `remind:`).
 */
export class ClaimRepository {
  private readonly model: Model<ClaimDoc>;

  constructor(conn: Connection) {
    this.model = claimModel(conn);
  }

  /** Inserts a claim; false if someone else holds it already. */
  async claim(key: string, value: string, at = new Date()): Promise<boolean> {
    try {
      await this.model.create({ _id: key, value, created_at: at });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async findClaimDoc(key: string): Promise<{ value: string; createdAt: Date } | null> {
    const d = await this.model.findById(key).lean();
    return d ? { value: d.value, createdAt: d.created_at } : null;
  }

  async findClaim(key: string): Promise<string | null> {
    return (await this.findClaimDoc(key))?.value ?? null;
  }

  async releaseClaim(key: string): Promise<void> {
    await this.model.deleteOne({ _id: key });
  }
}
