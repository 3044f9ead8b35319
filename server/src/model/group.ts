import { Schema, type Connection, type Model } from 'mongoose';

/** A skill group (技能组). Members are not stored here: each agent lists its `group_ids`. */
export interface GroupDoc {
  _id: string;
  name: string;
  description: string;
  created_at: Date;
}

const schema = new Schema<GroupDoc>(
  {
    _id: { type: String, required: true },
    // Unique so two admins creating "售后" at once get one group and a 409, on MongoDB and FerretDB.
    name: { type: String, required: true, unique: true },
    description: { type: String, default: '' },
    created_at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function groupModel(conn: Connection): Model<GroupDoc> {
  return conn.models['Group'] ?? conn.model<GroupDoc>('Group', schema, 'groups');
}
