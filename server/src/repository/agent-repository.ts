import type { Connection, Model } from 'mongoose';
import { agentModel, type AgentDoc } from '../model/agent.js';
import type { AgentRole } from '../service/auth/permissions.js';
import { isDuplicateKey } from './errors.js';

export interface Agent {
  uid: string;
  username: string;
  displayName: string;
  role: AgentRole;
  passwordHash: string;
  maxConcurrent: number;
  disabled: boolean;
  createdAt: Date;
}

function toAgent(doc: AgentDoc): Agent {
  return {
    uid: doc._id,
    username: doc.username,
    displayName: doc.display_name,
    role: doc.role,
    passwordHash: doc.password_hash,
    maxConcurrent: doc.max_concurrent,
    disabled: doc.disabled,
    createdAt: doc.created_at,
  };
}

export class AgentRepository {
  private readonly model: Model<AgentDoc>;
  constructor(conn: Connection) {
    this.model = agentModel(conn);
  }

  /** Inserts a new agent; false when the username is taken (unique index, safe across instances). */
  async createAgent(agent: Agent): Promise<boolean> {
    try {
      await this.model.create({
        _id: agent.uid,
        username: agent.username,
        display_name: agent.displayName,
        role: agent.role,
        password_hash: agent.passwordHash,
        max_concurrent: agent.maxConcurrent,
        disabled: agent.disabled,
        created_at: agent.createdAt,
      });
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  async findAgentByUsername(username: string): Promise<Agent | null> {
    const doc = await this.model.findOne({ username }).lean();
    return doc ? toAgent(doc) : null;
  }

  async findAgent(uid: string): Promise<Agent | null> {
    const doc = await this.model.findById(uid).lean();
    return doc ? toAgent(doc) : null;
  }

  async listAgents(): Promise<Agent[]> {
    const docs = await this.model.find().sort({ created_at: 1 }).lean();
    return docs.map(toAgent);
  }

  async countAgents(): Promise<number> {
    return this.model.estimatedDocumentCount();
  }
}
