import type { Session, SessionManager } from '../session.js';
import type { TransportConnection } from '../transport/types.js';

/**
 * When the access token is renewed. The broker checks the token only when a connection opens, so a
 * renewal before expiry also closes the connection: the loop reconnects with the new token.
 */
export class TokenRenewal {
  constructor(
    private readonly sessions: SessionManager,
    private readonly now: () => number,
  ) {}

  /** At once (the broker refused the token; the role's permissions changed). Never rejects. */
  renewNow(): Promise<void> {
    return this.sessions.renew().then(
      () => undefined,
      () => undefined,
    );
  }

  /** How long until a minute before `session`'s token expires (at least a second). */
  delayBeforeExpiry(session: Session): number {
    return Math.max(1_000, (session.expiresAt - 60) * 1000 - this.now());
  }

  /** Renews, then closes `conn` so that the next connection uses the new token. Never rejects. */
  renewAndClose(conn: TransportConnection): Promise<void> {
    return this.sessions
      .renew()
      .then(() => conn.close())
      .catch(() => undefined);
  }
}
