import { newId } from '../../ids.js';
import type { Logger } from '../../log.js';
import type { Publisher } from '../messaging/publisher.js';
import type { SessionDisconnect } from './auth-service.js';

export interface AccessNotifierDeps {
  agents: {
    findAgent(uid: string): Promise<{ role: string; disabled: boolean } | null>;
    listAgents(): Promise<{ uid: string; role: string }[]>;
  };
  /** Agents' current permissions (cached per instance; `forget` reads them afresh). */
  permissions: { forget(uid: string): void; of(uid: string): Promise<readonly string[]> };
  /** Live-session cache of the session guard. */
  guard: { forgetUser(uid: string): void };
  disconnect: SessionDisconnect;
  /** Built after the broker connection; undefined before. */
  publisher: Publisher;
  logger: Logger;
}

/**
 * Makes changes to an agent's access take effect at once (docs/security.md "Sessions"): ended sessions
 * lose their MQTT connections; a role or role-permission change is pushed to the agent's devices
 * (`AccessChanged`), whose clients refresh their session and what they show.
 */
export class AccessNotifier {
  constructor(private readonly deps: AccessNotifierDeps) {}

  /** Every session of the agent ended (new password, disabled account). */
  async sessionsEnded(uid: string): Promise<void> {
    this.deps.guard.forgetUser(uid);
    this.deps.permissions.forget(uid);
    await this.deps.disconnect({ uid });
  }

  /** The agent's role changed. */
  async roleChanged(uid: string): Promise<void> {
    this.deps.permissions.forget(uid);
    const agent = await this.deps.agents.findAgent(uid);
    if (!agent || agent.disabled) return;
    const perms = [...(await this.deps.permissions.of(uid))];
    await this.push(uid, { perms, agentRole: agent.role });
  }

  /** A role's permission set changed: every agent of that role. */
  async rolePermissionsChanged(role: string): Promise<void> {
    const agents = (await this.deps.agents.listAgents()).filter((a) => a.role === role);
    await Promise.all(agents.map((a) => this.roleChanged(a.uid)));
  }

  private async push(uid: string, accessChanged: { perms: string[]; agentRole: string }): Promise<void> {
    const { publisher } = this.deps;
    try {
      await publisher.toUser('a', uid, { id: newId(), sentAtMs: Date.now(), accessChanged }, 1);
    } catch (err) {
      // The HTTP API applies the change anyway; consoles also re-check on their own.
      this.deps.logger.warn({ err, uid }, 'could not push an access change');
    }
  }
}
