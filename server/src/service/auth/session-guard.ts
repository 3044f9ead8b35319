import { UnauthenticatedError } from '../../errors.js';
import type { AccessClaims, AccessGuard } from './tokens.js';

export interface SessionGuardDeps {
  sessions: { findSession(sid: string): Promise<{ uid: string; expiresAt: Date } | null> };
  /** An agent's current permissions ([] when disabled or gone); cached by the source itself. */
  agentPermissions: { of(uid: string): Promise<readonly string[]> };
}

/**
 * How long a live session is taken as live on this instance without reading it again. A logout here is
 * seen at once (`forget`); on another instance within this time.
 */
const LIVE_CACHE_MS = 2_000;

/**
 * The checks a signature cannot make (docs/security.md "Sessions"): an access token is refused once its
 * session has ended (logout, refresh-token reuse, password reset, disabled account), and an agent's
 * permissions are their role's current ones, not the ones in the token (a role change applies at once).
 */
export class SessionGuard implements AccessGuard {
  /** sid → when it was last read live, and whose it is. */
  private readonly live = new Map<string, { at: number; uid: string }>();

  constructor(
    private readonly deps: SessionGuardDeps,
    private readonly cacheMs = LIVE_CACHE_MS,
  ) {}

  async check(claims: AccessClaims): Promise<AccessClaims> {
    await this.assertLive(claims.sid, claims.uid);
    if (claims.role !== 'agent') return claims;
    return { ...claims, perms: [...(await this.deps.agentPermissions.of(claims.uid))] };
  }

  /** The session ended here: refuse its tokens from now on. */
  forget(sid: string): void {
    this.live.delete(sid);
  }

  /** Every session of the user ended here (password reset, disabled account). */
  forgetUser(uid: string): void {
    for (const [sid, entry] of this.live) if (entry.uid === uid) this.live.delete(sid);
  }

  private async assertLive(sid: string, uid: string): Promise<void> {
    const now = Date.now();
    const seen = this.live.get(sid);
    if (seen !== undefined && seen.uid === uid && now - seen.at < this.cacheMs) return;
    const session = await this.deps.sessions.findSession(sid);
    if (!session || session.uid !== uid || session.expiresAt.getTime() < now) {
      this.live.delete(sid);
      throw new UnauthenticatedError('The session has ended; sign in again');
    }
    if (this.live.size > 50_000) this.live.clear();
    this.live.set(sid, { at: now, uid });
  }
}
