import { Schema, type Connection, type Model } from 'mongoose';

/** A login: refresh tokens name it; logout deletes it. Expired ones are removed by a scheduled job. */
export interface SessionDoc {
  _id: string;
  uid: string;
  role: 'customer' | 'agent';
  kind: 'customer' | 'visitor' | 'agent';
  created_at: Date;
  expires_at: Date;
}

const schema = new Schema<SessionDoc>(
  {
    _id: { type: String, required: true },
    uid: { type: String, required: true },
    role: { type: String, required: true, enum: ['customer', 'agent'] },
    kind: { type: String, required: true, enum: ['customer', 'visitor', 'agent'] },
    created_at: { type: Date, required: true },
    expires_at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ uid: 1 });
schema.index({ expires_at: 1 });

export function sessionModel(conn: Connection): Model<SessionDoc> {
  return conn.models['Session'] ?? conn.model<SessionDoc>('Session', schema, 'sessions');
}
