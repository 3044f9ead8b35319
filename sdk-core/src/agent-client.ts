import { kefu } from '@kefu/proto';
import { KefuClient, type ClientOptions } from './client.js';

export interface AgentClientOptions extends Omit<ClientOptions, 'credentials'> {
  username: string;
  password: string;
}

export type AgentStatusName = 'online' | 'busy' | 'away';

const STATUS: Record<AgentStatusName, kefu.v1.AgentStatus> = {
  online: kefu.v1.AgentStatus.AGENT_STATUS_ONLINE,
  busy: kefu.v1.AgentStatus.AGENT_STATUS_BUSY,
  away: kefu.v1.AgentStatus.AGENT_STATUS_AWAY,
};

/** The agent side: many conversations, a status that decides whether new chats are assigned. */
export class AgentClient extends KefuClient {
  constructor(options: AgentClientOptions) {
    const { username, password, ...rest } = options;
    super({
      storagePrefix: `kefu-agent-${username}`,
      ...rest,
      credentials: () => Promise.resolve({ path: '/api/v1/agent/sessions', body: { username, password } }),
    });
    this.presenceExtra = { agentStatus: STATUS.online };
  }

  /** Online agents receive new conversations; busy and away ones keep theirs but get no new ones. */
  async setStatus(status: AgentStatusName): Promise<void> {
    this.presenceExtra = { agentStatus: STATUS[status] };
    await this.announce();
  }
}

export function createAgentClient(options: AgentClientOptions): AgentClient {
  return new AgentClient(options);
}
