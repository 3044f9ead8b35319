import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from 'jose';
import type { TopicSet } from '@kefu/proto';
import { UnauthenticatedError } from '../../errors.js';

/** Who a token speaks for. `role` decides the topic letter: customers `c`, agents `a`. */
export interface Principal {
  uid: string;
  role: 'customer' | 'agent';
  /** visitor = anonymous customer */
  kind: 'customer' | 'visitor' | 'agent';
  perms: string[];
  /** Session id: refresh and logout act on it. */
  sid: string;
}

/** EMQX 5 `acl` claim rule (REFERENCE.md §D); we only issue `eq ` literal topics. */
export interface AclRule {
  permission: 'allow' | 'deny';
  action: 'publish' | 'subscribe' | 'all';
  topic: string;
}

export interface AccessClaims extends Principal {
  acl: AclRule[];
  exp: number;
}

export interface IssuedToken {
  token: string;
  /** Unix seconds */
  expiresAt: number;
}

const ISSUER = 'kefu';

/** Live checks of a verified access token (service/auth/session-guard.ts). */
export interface AccessGuard {
  check(claims: AccessClaims): Promise<AccessClaims>;
}

export function topicRole(role: Principal['role']): 'c' | 'a' {
  return role === 'customer' ? 'c' : 'a';
}

/** A client may publish to its own up and presence topics and subscribe to its own down topic, nothing else. */
export function aclFor(topics: TopicSet, principal: Pick<Principal, 'uid' | 'role'>): AclRule[] {
  const r = topicRole(principal.role);
  return [
    { permission: 'allow', action: 'publish', topic: `eq ${topics.up(r, principal.uid)}` },
    { permission: 'allow', action: 'publish', topic: `eq ${topics.presence(r, principal.uid)}` },
    { permission: 'allow', action: 'subscribe', topic: `eq ${topics.down(r, principal.uid)}` },
  ];
}

/**
 * Mirrors EMQX's evaluation for the rules we issue: the first rule whose action and `eq ` topic match
 * decides; no match denies. Non-`eq` rules never match (we issue none, and wildcards are never granted).
 */
export function aclAllows(acl: readonly AclRule[], action: 'publish' | 'subscribe', topic: string): boolean {
  for (const rule of acl) {
    if (rule.action !== action && rule.action !== 'all') continue;
    if (!rule.topic.startsWith('eq ') || rule.topic.slice(3) !== topic) continue;
    return rule.permission === 'allow';
  }
  return false;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isAcl(v: unknown): v is AclRule[] {
  return (
    Array.isArray(v) &&
    v.every((r) => {
      if (typeof r !== 'object' || r === null) return false;
      const rule = r as Record<string, unknown>;
      return (
        (rule['permission'] === 'allow' || rule['permission'] === 'deny') &&
        (rule['action'] === 'publish' || rule['action'] === 'subscribe' || rule['action'] === 'all') &&
        typeof rule['topic'] === 'string'
      );
    })
  );
}

/**
 * HS256 JWTs. The access token is also the MQTT password (EMQX JWT authenticator, `from = password`,
 * with `sub` required to equal the MQTT username). The refresh token only works on the refresh endpoint.
 */
export class TokenService {
  private readonly key: Uint8Array;
  private guard: AccessGuard | undefined;

  constructor(
    secret: string,
    private readonly topics: TopicSet,
    private readonly accessTtlS: number,
    private readonly refreshTtlS: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  issueAccess(principal: Principal, nowS = Math.floor(Date.now() / 1000)): Promise<IssuedToken> {
    return this.sign(
      {
        typ: 'access',
        role: principal.role,
        kind: principal.kind,
        perms: principal.perms,
        sid: principal.sid,
        acl: aclFor(this.topics, principal),
      },
      principal.uid,
      nowS,
      this.accessTtlS,
    );
  }

  /**
   * Each refresh token has its own `jti`: it works once (AuthService.refresh rotates it). `expiresAtS`:
   * a rotated token ends with its session, not later.
   */
  issueRefresh(
    principal: Principal,
    nowS = Math.floor(Date.now() / 1000),
    expiresAtS?: number,
  ): Promise<IssuedToken> {
    return this.sign(
      {
        typ: 'refresh',
        role: principal.role,
        kind: principal.kind,
        sid: principal.sid,
        jti: randomBytes(16).toString('base64url'),
      },
      principal.uid,
      nowS,
      expiresAtS === undefined ? this.refreshTtlS : Math.max(1, expiresAtS - nowS),
    );
  }

  private async sign(claims: JWTPayload, subject: string, nowS: number, ttlS: number): Promise<IssuedToken> {
    const expiresAt = nowS + ttlS;
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setSubject(subject)
      .setIssuedAt(nowS)
      .setExpirationTime(expiresAt)
      .sign(this.key);
    return { token, expiresAt };
  }

  /**
   * Verifies signature, issuer, algorithm and expiry, then the session guard (the session still exists,
   * agents' current permissions); throws UnauthenticatedError with a reason.
   */
  async verifyAccess(token: string): Promise<AccessClaims> {
    const payload = await this.verify(token, 'access');
    if (!isAcl(payload['acl']) || !isStringArray(payload['perms'])) {
      throw new UnauthenticatedError('Malformed token claims');
    }
    const claims = { ...this.principalOf(payload), acl: payload['acl'], exp: payload.exp ?? 0 };
    return this.guard ? this.guard.check(claims) : claims;
  }

  /**
   * Checks every verified access token against live state from now on (service/auth/session-guard.ts):
   * a token outlives neither its session (logout, disable) nor its holder's permissions (role change).
   */
  useGuard(guard: AccessGuard): void {
    this.guard = guard;
  }

  /**
   * The refresh token's principal (perms are re-read from the account by the caller) and its one-use key:
   * the `jti`, or for tokens issued before there was one, a hash of the token itself.
   */
  async verifyRefresh(token: string): Promise<Omit<Principal, 'perms'> & { useKey: string }> {
    const payload = await this.verify(token, 'refresh');
    const { perms: _perms, ...rest } = this.principalOf(payload);
    const jti = payload.jti;
    const useKey =
      typeof jti === 'string' && jti.length > 0
        ? jti
        : `legacy:${createHash('sha256').update(token).digest('base64url')}`;
    return { ...rest, useKey };
  }

  private principalOf(payload: JWTPayload): Principal {
    const { sub, role, kind, sid, perms } = payload as Record<string, unknown>;
    if (
      typeof sub !== 'string' ||
      typeof sid !== 'string' ||
      (role !== 'customer' && role !== 'agent') ||
      (kind !== 'customer' && kind !== 'visitor' && kind !== 'agent')
    ) {
      throw new UnauthenticatedError('Malformed token claims');
    }
    return { uid: sub, role, kind, sid, perms: isStringArray(perms) ? perms : [] };
  }

  private async verify(token: string, typ: 'access' | 'refresh'): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        algorithms: ['HS256'],
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new UnauthenticatedError('The token has expired');
      throw new UnauthenticatedError('The token is invalid');
    }
    if (payload['typ'] !== typ)
      throw new UnauthenticatedError(typ === 'access' ? 'Not an access token' : 'Not a refresh token');
    return payload;
  }
}
