import type { Publisher } from '../messaging/publisher.js';
import { maskEnvelope } from './masking.js';

/** How an agent's current permissions are found: their role's set (admins may edit role sets). */
export interface AgentPermissionSource {
  findAgent(uid: string): Promise<{ role: string; disabled: boolean } | null>;
  permissionsOf(role: string): Promise<readonly string[]>;
}

/** Looked up again after this long (per instance): a role edit reaches MQTT fan-out within seconds. */
const CACHE_MS = 10_000;

/**
 * An agent's permissions by uid, for decisions outside a request (MQTT fan-out goes to a user topic,
 * so there is no token to read them from). Unknown or disabled agents have none.
 */
export class AgentPermissions {
  private readonly cache = new Map<string, { at: number; perms: Promise<readonly string[]> }>();

  constructor(
    private readonly source: AgentPermissionSource,
    private readonly cacheMs = CACHE_MS,
  ) {}

  async has(uid: string, permission: string): Promise<boolean> {
    return (await this.of(uid)).includes(permission);
  }

  /** The agent's role or account changed: read their permissions afresh on next use. */
  forget(uid: string): void {
    this.cache.delete(uid);
  }

  of(uid: string): Promise<readonly string[]> {
    const now = Date.now();
    const hit = this.cache.get(uid);
    if (hit && now - hit.at < this.cacheMs) return hit.perms;
    if (this.cache.size > 10_000) this.cache.clear();
    const perms = this.load(uid);
    this.cache.set(uid, { at: now, perms });
    // A failed lookup is not remembered.
    perms.catch(() => this.cache.delete(uid));
    return perms;
  }

  private async load(uid: string): Promise<readonly string[]> {
    const agent = await this.source.findAgent(uid);
    if (!agent || agent.disabled) return [];
    return this.source.permissionsOf(agent.role);
  }
}

/**
 * Masks customers' names in everything sent to an agent without `pii:view` (DESIGN.md §3). Wraps the
 * outbound port, so every service's fan-out (messages, states, events, sync answers) goes through it.
 */
export function maskingPublisher(inner: Publisher, permissions: AgentPermissions): Publisher {
  return {
    async toUser(role, uid, envelope, qos) {
      const reveal = role === 'c' || (await permissions.has(uid, 'pii:view'));
      await inner.toUser(role, uid, reveal ? envelope : maskEnvelope(envelope), qos);
    },
  };
}
