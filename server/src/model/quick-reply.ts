import { Schema, type Connection, type Model } from 'mongoose';

/** Owner of team replies (`owner_uid`), so one unique index covers personal and team shortcuts. */
export const TEAM_OWNER = '_team';

/** A canned answer (快捷回复) an agent inserts with the `/` picker: their own or the team's. */
export interface QuickReplyDoc {
  _id: string;
  scope: 'personal' | 'team';
  /** The agent's uid for personal replies, TEAM_OWNER for team ones. */
  owner_uid: string;
  shortcut: string;
  title: string;
  text: string;
  created_at: Date;
  updated_at: Date;
}

const schema = new Schema<QuickReplyDoc>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true, enum: ['personal', 'team'] },
    owner_uid: { type: String, required: true },
    shortcut: { type: String, required: true },
    title: { type: String, required: true },
    text: { type: String, required: true },
    created_at: { type: Date, required: true },
    updated_at: { type: Date, required: true },
  },
  { versionKey: false },
);
// A shortcut names one reply per owner (and one among the team's); also the picker's read.
schema.index({ owner_uid: 1, shortcut: 1 }, { unique: true });

export function quickReplyModel(conn: Connection): Model<QuickReplyDoc> {
  return conn.models['QuickReply'] ?? conn.model<QuickReplyDoc>('QuickReply', schema, 'quick_replies');
}
