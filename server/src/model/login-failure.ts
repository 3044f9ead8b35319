import { Schema, type Connection, type Model } from 'mongoose';

/**
 * One failed agent sign-in (wrong password or unknown username). Counts are derived from these inserts,
 * never from a counter: FerretDB's `$inc` loses concurrent increments (DESIGN.md §4). Old documents are
 * deleted by the throttle as it reads them and in a periodic sweep (no TTL indexes).
 */
export interface LoginFailureDoc {
  /** A fresh ULID per failure: concurrent failures are separate documents. */
  _id: string;
  /** The username as tried, lower-cased: unknown names are counted too. */
  username: string;
  at: Date;
}

const schema = new Schema<LoginFailureDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ username: 1, at: 1 }); // the failures of one account
schema.index({ at: 1 }); // the sweep of old failures

export function loginFailureModel(conn: Connection): Model<LoginFailureDoc> {
  return conn.models['LoginFailure'] ?? conn.model<LoginFailureDoc>('LoginFailure', schema, 'login_failures');
}
