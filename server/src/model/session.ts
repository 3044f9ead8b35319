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

/**
 * A refresh token that was used (`_id` = its `jti`): inserting it is the atomic "first use" on MongoDB and
 * FerretDB alike, so a second use of the same token is detected (AuthService.refresh).
 */
export interface RefreshUseDoc {
  _id: string;
  sid: string;
  used_at: Date;
}

const useSchema = new Schema<RefreshUseDoc>(
  {
    _id: { type: String, required: true },
    sid: { type: String, required: true },
    used_at: { type: Date, required: true },
  },
  { versionKey: false },
);
useSchema.index({ sid: 1 });

export function refreshUseModel(conn: Connection): Model<RefreshUseDoc> {
  return (
    conn.models['RefreshUse'] ?? conn.model<RefreshUseDoc>('RefreshUse', useSchema, 'refresh_token_uses')
  );
}
