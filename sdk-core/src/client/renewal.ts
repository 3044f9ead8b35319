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

  /** A minute before `session`'s token expires: renew, then close `conn`. Returns the timer. */
  beforeExpiry(session: Session, conn: TransportConnection): ReturnType<typeof setTimeout> {
    const ms = Math.max(1_000, (session.expiresAt - 60) * 1000 - this.now());
    return setTimeout(() => {
      void this.sessions
        .renew()
        .then(() => conn.close())
        .catch(() => undefined);
    }, ms);
  }
}
