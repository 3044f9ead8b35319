import { Schema, type Connection, type Model } from 'mongoose';

export interface CustomerDoc {
  _id: string;
  kind: 'customer' | 'visitor';
  mall_user_id?: string;
  name?: string;
  phone?: string;
  level?: number;
  /** Mall points balance (personal data: masked like name and phone). */
  points?: number;
  vip?: boolean;
  /** ≤ 10 short labels from the mall (e.g. "高价值"). */
  tags?: string[];
  avatar?: string;
  created_at: Date;
  created_ip?: string;
  /** The address of the latest session (smart routing by region). */
  last_ip?: string;
  last_seen_at: Date;
}

const schema = new Schema<CustomerDoc>(
  {
    _id: { type: String, required: true },
    kind: { type: String, required: true, enum: ['customer', 'visitor'] },
    mall_user_id: String,
    name: String,
    phone: String,
    level: Number,
    points: Number,
    vip: Boolean,
    tags: { type: [String], default: undefined },
    avatar: String,
    created_at: { type: Date, required: true },
    created_ip: String,
    last_ip: String,
    last_seen_at: { type: Date, required: true },
  },
  { versionKey: false },
);
// Visitor-session abuse limit counts recent visitors per IP.
schema.index({ created_ip: 1, kind: 1, created_at: 1 });

export function customerModel(conn: Connection): Model<CustomerDoc> {
  return conn.models['Customer'] ?? conn.model<CustomerDoc>('Customer', schema, 'customers');
}
