import { Schema, type Connection, type Model } from 'mongoose';

/** Append-only record of sensitive actions: PII reveals, admin changes (DESIGN.md §3). */
export interface AuditLogDoc {
  _id: string;
  /** `pii.reveal`, `admin.agent.create`, `admin.role.update`… */
  action: string;
  actor_uid: string;
  target_type: string;
  target_id: string;
  /** Small string facts (fields revealed, changed keys); an array, not a map: keys may contain ".". */
  details?: { key: string; value: string }[];
  ip?: string;
  at: Date;
}

const schema = new Schema<AuditLogDoc>(
  {
    _id: { type: String, required: true },
    action: { type: String, required: true },
    actor_uid: { type: String, required: true },
    target_type: { type: String, required: true },
    target_id: { type: String, required: true },
    details: { type: [{ _id: false, key: String, value: String }], default: undefined },
    ip: String,
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ at: -1 }); // newest first
schema.index({ action: 1, at: -1 }); // by action
schema.index({ target_type: 1, target_id: 1, at: -1 }); // who looked at this customer

export function auditLogModel(conn: Connection): Model<AuditLogDoc> {
  return conn.models['AuditLog'] ?? conn.model<AuditLogDoc>('AuditLog', schema, 'audit_logs');
}
