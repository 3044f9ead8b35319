import { randomBytes } from 'node:crypto';

export const SESSION_COOKIE = 'mall_sid';
const SESSION_ID = /^[A-Za-z0-9_-]{32}$/;

/**
 * In-memory sessions (session id → user id) for the demo; a restart signs everyone out. Bounded, so a
 * flood of sign-ins cannot grow memory without limit: the oldest sessions are dropped first.
 */
export class SessionStore {
  private readonly sessions = new Map<string, string>();

  constructor(private readonly maxSessions = 10_000) {}

  create(userId: string): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, userId);
    while (this.sessions.size > this.maxSessions) {
      const oldest = this.sessions.keys().next();
      if (oldest.done) break;
      this.sessions.delete(oldest.value);
    }
    return id;
  }

  userId(sessionId: string | undefined): string | undefined {
    return sessionId !== undefined && SESSION_ID.test(sessionId) ? this.sessions.get(sessionId) : undefined;
  }

  destroy(sessionId: string | undefined): void {
    if (sessionId !== undefined) this.sessions.delete(sessionId);
  }

  get size(): number {
    return this.sessions.size;
  }
}
