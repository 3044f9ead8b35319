import type { Connection, Model } from 'mongoose';
import { groupModel, type GroupDoc } from '../model/group.js';
import { isDuplicateKey } from './errors.js';

export interface Group {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

function toGroup(doc: GroupDoc): Group {
  return { id: doc._id, name: doc.name, description: doc.description, createdAt: doc.created_at };
}

export class GroupRepository {
  private readonly model: Model<GroupDoc>;
  constructor(conn: Connection) {
    this.model = groupModel(conn);
  }

  /** false when the name is taken (unique index). */
  async createGroup(group: Group): Promise<boolean> {
    try {
      await this.model.create({
        _id: group.id,
        name: group.name,
        description: group.description,
        created_at: group.createdAt,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async findGroup(id: string): Promise<Group | null> {
    const doc = await this.model.findById(id).lean();
    return doc ? toGroup(doc) : null;
  }

  async listGroups(): Promise<Group[]> {
    const docs = await this.model.find().sort({ created_at: 1 }).lean();
    return docs.map(toGroup);
  }

  /** null when there is no such group; throws a duplicate-key error when the new name is taken. */
  async saveGroup(id: string, changes: { name?: string | undefined; description?: string | undefined }) {
    const set: Record<string, string> = {};
    if (changes.name !== undefined) set['name'] = changes.name;
    if (changes.description !== undefined) set['description'] = changes.description;
    const doc = await this.model
      .findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after' })
      .lean();
    return doc ? toGroup(doc) : null;
  }

  async removeGroup(id: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: id });
    return result.deletedCount > 0;
  }
}
