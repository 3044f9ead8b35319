import { Schema, type Connection, type Model } from 'mongoose';
import { AGENT_ROLES, type AgentRole } from '../service/auth/permissions.js';

export interface AgentDoc {
  _id: string;
  username: string;
  display_name: string;
  role: AgentRole;
  /** Empty for accounts that sign in only through SSO. */
  password_hash: string;
  /** Lower-cased; SSO maps a verified provider email to it. */
  email?: string;
  /** The identity provider's `sub`, stored at the first SSO sign-in. */
  sso_subject?: string;
  /** Skill groups (技能组) the agent belongs to; a group's members are derived from this. */
  group_ids?: string[];
  /** Reception limit (接待上限): open conversations at most. */
  max_concurrent: number;
  disabled: boolean;
  created_at: Date;
}

const schema = new Schema<AgentDoc>(
  {
    _id: { type: String, required: true },
    username: { type: String, required: true, unique: true },
    display_name: { type: String, required: true },
    role: { type: String, required: true, enum: AGENT_ROLES },
    // Not `required`: Mongoose refuses an empty string there, and SSO-only accounts have no password.
    password_hash: { type: String, default: '' },
    email: String,
    sso_subject: String,
    group_ids: { type: [String], default: [] },
    max_concurrent: { type: Number, required: true, default: 10 },
    disabled: { type: Boolean, required: true, default: false },
    created_at: { type: Date, required: true },
  },
  { versionKey: false },
);
schema.index({ email: 1 }); // SSO mapping by email, duplicate check
schema.index({ sso_subject: 1 }); // SSO mapping by subject
schema.index({ group_ids: 1 }); // a group's members

export function agentModel(conn: Connection): Model<AgentDoc> {
  return conn.models['Agent'] ?? conn.model<AgentDoc>('Agent', schema, 'agents');
}
