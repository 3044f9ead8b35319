import { kefu } from '@kefu/proto';
import { KefuClient, type ClientOptions } from './client.js';
import { SessionError, type GrantBody } from './session.js';

/**
 * How the agent signs in: a username and password the client may reuse whenever its session ends
 * (bots, tests, integrations), or a session obtained by a sign-in page (local or SSO) — that one is
 * refreshed while it can be, and when it ends the client stops with a permanent `signed_out` error so
 * the console shows its sign-in page again.
 */
export type AgentSignIn =
  | { username: string; password: string }
  | { session: GrantBody }
  /** The session an earlier `session` sign-in of this agent stored on this device (a page reload). */
  | { resume: string };

export type AgentClientOptions = Omit<ClientOptions, 'credentials'> & AgentSignIn;

export type AgentStatusName = 'online' | 'busy' | 'away';

const STATUS: Record<AgentStatusName, kefu.v1.AgentStatus> = {
  online: kefu.v1.AgentStatus.AGENT_STATUS_ONLINE,
  busy: kefu.v1.AgentStatus.AGENT_STATUS_BUSY,
  away: kefu.v1.AgentStatus.AGENT_STATUS_AWAY,
};

/** The agent side: many conversations, a status that decides whether new chats are assigned. */
export class AgentClient extends KefuClient {
  private adopted: GrantBody | undefined;
  private statusName: AgentStatusName = 'online';

  constructor(options: AgentClientOptions) {
    super(clientOptions(options));
    if ('session' in options) this.adopted = options.session;
    this.presenceExtra = { agentStatus: STATUS.online };
  }

  override async start(): ReturnType<KefuClient['start']> {
    const grant = this.adopted;
    this.adopted = undefined;
    if (grant) await this.sessions.adopt(grant);
    return super.start();
  }

  get agentStatus(): AgentStatusName {
    return this.statusName;
  }

  /** Online agents receive new conversations; busy and away ones keep theirs but get no new ones. */
  async setStatus(status: AgentStatusName): Promise<void> {
    this.statusName = status;
    this.presenceExtra = { agentStatus: STATUS[status] };
    await this.announce();
  }
}

function clientOptions(options: AgentClientOptions): ClientOptions {
  const signedOut = (): Promise<never> =>
    Promise.reject(new SessionError('The session ended; sign in again', 'signed_out', 401));
  if ('session' in options) {
    const { session, ...rest } = options;
    return { storagePrefix: `kefu-agent-${session.user.uid}`, ...rest, credentials: signedOut };
  }
  if ('resume' in options) {
    const { resume, ...rest } = options;
    return { storagePrefix: `kefu-agent-${resume}`, ...rest, credentials: signedOut };
  }
  const { username, password, ...rest } = options;
  return {
    storagePrefix: `kefu-agent-${username}`,
    ...rest,
    credentials: () => Promise.resolve({ path: '/api/v1/agent/sessions', body: { username, password } }),
  };
}

export function createAgentClient(options: AgentClientOptions): AgentClient {
  return new AgentClient(options);
}
