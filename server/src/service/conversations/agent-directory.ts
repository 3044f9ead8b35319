import { kefu } from '@kefu/proto';

/** Agents' display names change rarely; a minute-old one is good enough on every message and state. */
const NAME_TTL_MS = 60_000;

/** An agent as a conversation participant (role, uid, display name), the name cached for a minute. */
export class AgentDirectory {
  private readonly names = new Map<string, { name: string; at: number }>();

  constructor(private readonly agents: { findAgent(uid: string): Promise<{ displayName: string } | null> }) {}

  async participant(uid: string): Promise<kefu.v1.IParticipant> {
    const cached = this.names.get(uid);
    if (cached && Date.now() - cached.at < NAME_TTL_MS)
      return { role: kefu.v1.Role.ROLE_AGENT, uid, name: cached.name };
    const agent = await this.agents.findAgent(uid);
    const name = agent?.displayName ?? '';
    this.names.set(uid, { name, at: Date.now() });
    return { role: kefu.v1.Role.ROLE_AGENT, uid, name };
  }
}
