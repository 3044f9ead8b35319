import type { Connection, Model } from 'mongoose';
import { groupModel, type GroupDoc } from '../model/group.js';
import type { BusinessHours } from '../service/routing/business-hours.js';
import { targetFromStored, targetToStored, type RouteTarget } from '../service/routing/settings.js';
import { isDuplicateKey } from './errors.js';

export const OVERFLOW_CONDITIONS = ['none_online', 'all_busy', 'off_duty'] as const;
export type OverflowCondition = (typeof OVERFLOW_CONDITIONS)[number];

export interface OverflowLevel {
  when: OverflowCondition;
  to: RouteTarget;
}

export interface Group {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  /** Allocation mode of the group's chats; undefined: the global mode. */
  mode?: string | undefined;
  businessHours?: BusinessHours | undefined;
  overflow?: OverflowLevel[] | undefined;
  /** `{agent}` stands for the agent's name; undefined: the global greeting. */
  greeting?: string | undefined;
}

/** What an admin may change; undefined fields stay, null clears. */
export interface GroupChanges {
  name?: string | undefined;
  description?: string | undefined;
  mode?: string | null | undefined;
  businessHours?: BusinessHours | null | undefined;
  overflow?: OverflowLevel[] | undefined;
  greeting?: string | null | undefined;
}

function toGroup(doc: GroupDoc): Group {
  return {
    id: doc._id,
    name: doc.name,
    description: doc.description,
    createdAt: doc.created_at,
    mode: doc.mode || undefined,
    greeting: doc.greeting || undefined,
    businessHours: doc.business_hours
      ? {
          timezone: doc.business_hours.timezone,
          windows: doc.business_hours.windows.map((w) => ({ days: w.days, start: w.start, end: w.end })),
        }
      : undefined,
    overflow: doc.overflow?.length
      ? doc.overflow.map((o) => ({ when: o.when as OverflowCondition, to: targetFromStored(o.to) }))
      : undefined,
  };
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

  /** null when there is no such group; false when the new name is taken by another group. */
  async saveGroup(id: string, changes: GroupChanges): Promise<Group | null | false> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    if (changes.name !== undefined) set['name'] = changes.name;
    if (changes.description !== undefined) set['description'] = changes.description;
    if (changes.greeting === null) unset['greeting'] = '';
    else if (changes.greeting !== undefined) set['greeting'] = changes.greeting;
    if (changes.mode === null) unset['mode'] = '';
    else if (changes.mode !== undefined) set['mode'] = changes.mode;
    if (changes.businessHours === null) unset['business_hours'] = '';
    else if (changes.businessHours !== undefined) set['business_hours'] = changes.businessHours;
    if (changes.overflow !== undefined)
      set['overflow'] = changes.overflow.map((o) => ({ when: o.when, to: targetToStored(o.to) }));
    const update = {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
    };
    try {
      const doc = Object.keys(update).length
        ? await this.model.findOneAndUpdate({ _id: id }, update, { returnDocument: 'after' }).lean()
        : await this.model.findById(id).lean();
      return doc ? toGroup(doc) : null;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async removeGroup(id: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: id });
    return result.deletedCount > 0;
  }
}
