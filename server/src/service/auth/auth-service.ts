import { randomBytes } from 'node:crypto';
import { isValidUid } from '@kefu/proto';
import type { Config } from '../../config.js';
import { ForbiddenError, RateLimitedError, UnauthenticatedError, ValidationError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { Agent, AgentRepository } from '../../repository/agent-repository.js';
import type { CustomerRepository } from '../../repository/customer-repository.js';
import type { SessionRepository } from '../../repository/session-repository.js';
import { verifyIdentity, type CustomerIdentity } from './identity.js';
import type { LoginThrottle } from './login-throttle.js';
import { hashPassword, verifyPassword } from './password.js';
import type { AgentRole } from './permissions.js';
import type { RolePermissionService } from './role-permissions.js';
import type { IssuedToken, Principal, TokenService } from './tokens.js';

export interface SessionGrant {
  principal: Principal;
  access: IssuedToken;
  refresh: IssuedToken;
  displayName?: string | undefined;
  agentRole?: AgentRole | undefined;
}

export interface AuthDeps {
  customers: CustomerRepository;
  agents: AgentRepository;
  sessions: SessionRepository;
  tokens: TokenService;
  roles: RolePermissionService;
  config: Config['auth'];
  env: Config['env'];
  logger: Logger;
  /** Blocked customers (黑名单) get no session and no new access token. */
  blacklist?: { findBlocked(customerUid: string): Promise<unknown> };
  /** Forgets a live session at once on this instance when it ends (service/auth/session-guard.ts). */
  guard?: { forget(sid: string): void };
  /** Closes the MQTT connections of an ended session (port/mqtt/session-disconnect.ts). */
  disconnect?: SessionDisconnect;
  /** Per-account lockout after failed password sign-ins (any instance, any client address). */
  loginThrottle: Pick<LoginThrottle, 'assertNotLocked' | 'recordFailure' | 'clear'>;
}

/**
 * Two tabs sharing one stored session may refresh with the same token at the same moment; a reuse this
 * soon after the first use is that race (or a retried request), not a leak.
 */
export const REFRESH_REUSE_GRACE_MS = 15_000;

/** Closes the MQTT connections of one session (`sid`) or of every session of a user. */
export type SessionDisconnect = (target: { uid: string; sid?: string }) => Promise<void>;

export const BLOCKED_MESSAGE = 'This customer is blocked from customer service';

/** The dev default admin password; refused in production (a random one is generated and logged instead). */
export const DEV_ADMIN_PASSWORD = 'kefu-admin';

function randomId(prefix: string, bytes = 12): string {
  return `${prefix}${randomBytes(bytes).toString('hex')}`;
}

/** Customer uids are namespaced so a mall user id can never collide with a visitor or an agent. */
export function customerUid(mallUserId: string): string {
  return `u_${mallUserId}`;
}

export class AuthService {
  // Compared against when the username does not exist, so timing does not tell which usernames do.
  private dummyHash: Promise<string> | undefined;

  constructor(private readonly deps: AuthDeps) {}

  async createCustomerSession(
    identity: CustomerIdentity,
    signature: string,
    ip: string,
  ): Promise<SessionGrant> {
    verifyIdentity(this.deps.config.identitySecret, identity, signature, this.deps.config.identityMaxAgeS);
    const uid = customerUid(identity.user_id);
    if (!isValidUid(uid) || uid.length > 66) {
      throw new ValidationError('user_id may not contain "/", "+", "#" or control characters');
    }
    if (await this.deps.blacklist?.findBlocked(uid)) throw new ForbiddenError(BLOCKED_MESSAGE);
    const customer = await this.deps.customers.saveCustomer({
      uid,
      kind: 'customer',
      mallUserId: identity.user_id,
      name: identity.name,
      phone: identity.phone,
      level: identity.level,
      points: identity.points,
      vip: identity.vip,
      tags: identity.tags,
      avatar: identity.avatar,
      ip,
    });
    return this.grant({ uid, role: 'customer', kind: 'customer', perms: [] }, customer.name);
  }

  async createVisitorSession(ip: string, now = new Date()): Promise<SessionGrant> {
    const limit = this.deps.config.visitorSessionsPerIpPerHour;
    const recent = await this.deps.customers.countVisitorsFromIp(ip, new Date(now.getTime() - 3_600_000));
    if (recent >= limit) {
      throw new RateLimitedError(`Too many new visitor sessions from this address; try again later`, 3_600);
    }
    const uid = randomId('v_', 10);
    await this.deps.customers.saveCustomer({ uid, kind: 'visitor', ip }, now);
    return this.grant({ uid, role: 'customer', kind: 'visitor', perms: [] });
  }

  async loginAgent(username: string, password: string): Promise<SessionGrant> {
    const throttle = this.deps.loginThrottle;
    // Before the password is looked at: during a lockout even the right one is refused.
    await throttle.assertNotLocked(username);
    const agent = await this.deps.agents.findAgentByUsername(username);
    if (!agent) {
      this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
      await verifyPassword(password, await this.dummyHash);
    }
    if (!agent || !(await verifyPassword(password, agent.passwordHash))) {
      await throttle.recordFailure(username);
      throw new UnauthenticatedError('Wrong username or password');
    }
    await throttle.clear(username);
    return this.createAgentSession(agent);
  }

  /** A session for an agent already identified (password or SSO); the role's current permissions. */
  async createAgentSession(agent: Agent): Promise<SessionGrant> {
    if (agent.disabled) throw new ForbiddenError('This account is disabled');
    const perms = await this.deps.roles.permissionsOf(agent.role);
    return this.grant({ uid: agent.uid, role: 'agent', kind: 'agent', perms }, agent.displayName, agent.role);
  }

  /**
   * New tokens for a live session; agents' permissions are re-read (a role change applies). The refresh
   * token rotates: each works once, and one used again after the grace period ends the session, since
   * it or its copy leaked (docs/security.md "Sessions").
   */
  async refresh(refreshToken: string): Promise<SessionGrant> {
    const claims = await this.deps.tokens.verifyRefresh(refreshToken);
    const session = await this.deps.sessions.findSession(claims.sid);
    if (!session || session.uid !== claims.uid || session.expiresAt.getTime() < Date.now()) {
      throw new UnauthenticatedError('The session has ended; sign in again');
    }
    const use = await this.deps.sessions.useRefreshToken(claims.useKey, claims.sid);
    if (!use.first && Date.now() - use.usedAt.getTime() > REFRESH_REUSE_GRACE_MS) {
      this.deps.logger.warn({ uid: claims.uid, sid: claims.sid }, 'refresh token reused; session ended');
      await this.endSession(claims.sid, claims.uid);
      throw new UnauthenticatedError('The session has ended; sign in again');
    }
    let perms: string[] = [];
    let displayName: string | undefined;
    let agentRole: AgentRole | undefined;
    if (claims.role === 'agent') {
      const agent = await this.deps.agents.findAgent(claims.uid);
      if (!agent || agent.disabled) throw new ForbiddenError('This account is disabled');
      perms = await this.deps.roles.permissionsOf(agent.role);
      displayName = agent.displayName;
      agentRole = agent.role;
    } else if (await this.deps.blacklist?.findBlocked(claims.uid)) {
      throw new ForbiddenError(BLOCKED_MESSAGE);
    }
    const { useKey: _useKey, ...base } = claims;
    const principal: Principal = { ...base, perms };
    const [access, refresh] = await Promise.all([
      this.deps.tokens.issueAccess(principal),
      this.deps.tokens.issueRefresh(principal, undefined, Math.floor(session.expiresAt.getTime() / 1000)),
    ]);
    return { principal, access, refresh, displayName, agentRole };
  }

  async logout(sid: string, uid: string): Promise<void> {
    await this.endSession(sid, uid);
  }

  /** Ends one session: its refresh token, its access tokens (session guard) and its MQTT connections. */
  private async endSession(sid: string, uid: string): Promise<void> {
    await this.deps.sessions.removeSession(sid);
    this.deps.guard?.forget(sid);
    await this.deps.disconnect?.({ uid, sid });
  }

  /**
   * Creates the first admin when there is no agent at all. Safe on several instances at once: the
   * username's unique index lets exactly one insert win.
   */
  async seedAdmin(): Promise<void> {
    if ((await this.deps.agents.countAgents()) > 0) return;
    const { adminUsername, adminPassword } = this.deps.config;
    let password = adminPassword;
    if (password === undefined) {
      password = this.deps.env === 'production' ? randomBytes(12).toString('base64url') : DEV_ADMIN_PASSWORD;
    }
    const created = await this.deps.agents.createAgent({
      uid: randomId('a_', 8),
      username: adminUsername,
      displayName: '管理员',
      role: 'admin',
      passwordHash: await hashPassword(password),
      maxConcurrent: 10,
      disabled: false,
      createdAt: new Date(),
    });
    if (!created) return;
    if (adminPassword === undefined && this.deps.env === 'production') {
      this.deps.logger.warn(
        { username: adminUsername, password },
        'created the first admin with a generated password; change it',
      );
    } else {
      this.deps.logger.info({ username: adminUsername }, 'created the first admin');
    }
  }

  private async grant(
    base: Omit<Principal, 'sid'>,
    displayName?: string,
    agentRole?: AgentRole,
  ): Promise<SessionGrant> {
    const principal: Principal = { ...base, sid: randomId('s_', 16) };
    const refresh = await this.deps.tokens.issueRefresh(principal);
    await this.deps.sessions.saveSession({
      sid: principal.sid,
      uid: principal.uid,
      role: principal.role,
      kind: principal.kind,
      createdAt: new Date(),
      expiresAt: new Date(refresh.expiresAt * 1000),
    });
    const access = await this.deps.tokens.issueAccess(principal);
    return { principal, access, refresh, displayName, agentRole };
  }
}
