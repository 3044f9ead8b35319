import { Schema, type Connection, type Model } from 'mongoose';

/** A skill group (技能组). Members are not stored here: each agent lists its `group_ids`. */
export interface GroupDoc {
  _id: string;
  name: string;
  description: string;
  created_at: Date;
  /** Allocation mode for this group's chats (unset: the global mode). */
  mode?: string;
  /** Weekly windows in one time zone (unset: always on duty). service/routing/business-hours.ts */
  business_hours?: { timezone: string; windows: { days: number[]; start: string; end: string }[] };
  /** Overflow chain (溢出), at most 3 levels: each applies to the target the previous one reached. */
  overflow?: { when: string; to: { group_id?: string; agent_uid?: string } }[];
  /** Greeting (欢迎语) of the group's chats, `{agent}` for the agent's name (unset: the global one). */
  greeting?: string;
}

const schema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    // Unique so two admins creating "售后" at once get one group and a 409, on MongoDB and FerretDB.
    name: { type: String, required: true, unique: true },
    description: { type: String, default: '' },
    created_at: { type: Date, required: true },
    mode: String,
    greeting: String,
    business_hours: {
      type: {
        _id: false,
        timezone: String,
        windows: [{ _id: false, days: [Number], start: String, end: String }],
      },
    },
    overflow: {
      type: [{ _id: false, when: String, to: { _id: false, group_id: String, agent_uid: String } }],
      default: undefined,
    },
  },
  { versionKey: false },
);

export function groupModel(conn: Connection): Model<GroupDoc> {
  return conn.models['Group'] ?? conn.model<GroupDoc>('Group', schema, 'groups');
}
