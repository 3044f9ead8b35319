import { Schema, type Connection, type Model } from 'mongoose';
import { AGENT_ROLES, type AgentRole } from '../service/auth/permissions.js';

export interface AgentDoc {
  _id: string;
  username: string;
  display_name: string;
  role: AgentRole;
  password_hash: string;
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
    password_hash: { type: String, required: true },
    max_concurrent: { type: Number, required: true, default: 10 },
    disabled: { type: Boolean, required: true, default: false },
    created_at: { type: Date, required: true },
  },
  { versionKey: false },
);

export function agentModel(conn: Connection): Model<AgentDoc> {
  return conn.models['Agent'] ?? conn.model<AgentDoc>('Agent', schema, 'agents');
}
