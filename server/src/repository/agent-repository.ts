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
  /** Lower-cased. */
  email?: string | undefined;
  ssoSubject?: string | undefined;
  /** Always filled when read; optional when creating. */
  groupIds?: string[] | undefined;
}

/** What an admin (or SSO mapping) may change on an existing agent; undefined fields stay. */
export interface AgentChanges {
  displayName?: string | undefined;
  role?: AgentRole | undefined;
  passwordHash?: string | undefined;
  maxConcurrent?: number | undefined;
  disabled?: boolean | undefined;
  /** null removes the email. */
  email?: string | null | undefined;
  ssoSubject?: string | undefined;
  groupIds?: string[] | undefined;
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
    email: doc.email,
    ssoSubject: doc.sso_subject,
    groupIds: doc.group_ids ?? [],
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
        ...(agent.email ? { email: agent.email } : {}),
        ...(agent.ssoSubject ? { sso_subject: agent.ssoSubject } : {}),
        group_ids: agent.groupIds ?? [],
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

  async findAgentByEmail(email: string): Promise<Agent[]> {
    const docs = await this.model.find({ email }).limit(2).lean();
    return docs.map(toAgent);
  }

  async findAgentBySsoSubject(subject: string): Promise<Agent | null> {
    const doc = await this.model.findOne({ sso_subject: subject }).lean();
    return doc ? toAgent(doc) : null;
  }

  async listAgentsInGroup(groupId: string): Promise<Agent[]> {
    const docs = await this.model.find({ group_ids: groupId }).sort({ created_at: 1 }).lean();
    return docs.map(toAgent);
  }

  /** Every agent (enabled or not) in any of these skill groups. */
  async memberUidsOf(groupIds: readonly string[]): Promise<string[]> {
    if (groupIds.length === 0) return [];
    const docs = await this.model.find({ group_ids: { $in: [...groupIds] } }, { _id: 1 }).lean();
    return docs.map((d) => d._id);
  }

  /** Applies the changes to one agent (a single-document update); null when there is no such agent. */
  async saveAgent(uid: string, changes: AgentChanges): Promise<Agent | null> {
    const set: Record<string, unknown> = {};
    const unset: Record<string, ''> = {};
    if (changes.displayName !== undefined) set['display_name'] = changes.displayName;
    if (changes.role !== undefined) set['role'] = changes.role;
    if (changes.passwordHash !== undefined) set['password_hash'] = changes.passwordHash;
    if (changes.maxConcurrent !== undefined) set['max_concurrent'] = changes.maxConcurrent;
    if (changes.disabled !== undefined) set['disabled'] = changes.disabled;
    if (changes.email === null) unset['email'] = '';
    else if (changes.email !== undefined) set['email'] = changes.email;
    if (changes.ssoSubject !== undefined) set['sso_subject'] = changes.ssoSubject;
    if (changes.groupIds !== undefined) set['group_ids'] = changes.groupIds;
    const update = {
      ...(Object.keys(set).length ? { $set: set } : {}),
      ...(Object.keys(unset).length ? { $unset: unset } : {}),
    };
    const doc = Object.keys(update).length
      ? await this.model.findOneAndUpdate({ _id: uid }, update, { returnDocument: 'after' }).lean()
      : await this.model.findById(uid).lean();
    return doc ? toAgent(doc) : null;
  }

  /** Takes a deleted group out of every agent's group_ids. */
  async removeGroupFromAgents(groupId: string): Promise<void> {
    await this.model.updateMany({ group_ids: groupId }, { $pull: { group_ids: groupId } });
  }

  async countAgents(): Promise<number> {
    return this.model.estimatedDocumentCount();
  }
}
