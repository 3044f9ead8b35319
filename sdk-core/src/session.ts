import type { Http } from './http.js';
import type { KeyValueStorage } from './storage.js';

/** What the server's session endpoints answer (server/README.md). */
export interface Session {
  token: string;
  expiresAt: number;
  refreshToken: string;
  refreshExpiresAt: number;
  uid: string;
  role: 'customer' | 'agent';
  kind: string;
  name?: string;
  perms: string[];
  mqtt: { url: string; username: string; topics: { up: string; down: string; presence: string } };
}

/** How to get a new session when there is none or it ended: the endpoint and its body. */
export type Credentials = () => Promise<{ path: string; body: unknown }>;

/** A refused session request: `permanent` ones (bad identity, wrong password) are not retried. */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(
    message: string,
    readonly code: string,
    readonly status: number,
  ) {
    super(message);
  }
  get permanent(): boolean {
    return this.status === 400 || this.status === 401 || this.status === 403;
  }
}

/** The JSON body of every session endpoint (sign-in, SSO exchange, refresh). */
export interface GrantBody {
  token: string;
  expires_at: number;
  refresh_token: string;
  refresh_expires_at: number;
  user: { uid: string; role: 'customer' | 'agent'; kind: string; name?: string; perms: string[] };
  mqtt: Session['mqtt'];
}

export function toSession(g: GrantBody): Session {
  return {
    token: g.token,
    expiresAt: g.expires_at,
    refreshToken: g.refresh_token,
    refreshExpiresAt: g.refresh_expires_at,
    uid: g.user.uid,
    role: g.user.role,
    kind: g.user.kind,
    ...(g.user.name === undefined ? {} : { name: g.user.name }),
    perms: g.user.perms,
    mqtt: g.mqtt,
  };
}

/** Keeps a usable session: stored across restarts, refreshed before it expires, re-created when it ends. */
export class SessionManager {
  private session: Session | undefined;
  private pending: Promise<Session> | undefined;

  constructor(
    private readonly deps: {
      http: Http;
      baseUrl: string;
      storage: KeyValueStorage;
      storageKey: string;
      credentials: Credentials;
      now: () => number;
    },
  ) {}

  /** A session whose access token is valid for at least `marginS` more seconds. */
  async current(marginS = 60): Promise<Session> {
    this.session ??= await this.stored();
    const nowS = this.deps.now() / 1000;
    if (this.session && this.session.expiresAt - nowS > marginS) return this.session;
    return this.renew();
  }

  /** Forces a new access token (refresh token first, then credentials). */
  renew(): Promise<Session> {
    this.pending ??= this.doRenew().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Takes a session obtained elsewhere (a console's sign-in page, SSO) as the current one. */
  async adopt(grant: GrantBody): Promise<Session> {
    return this.store(toSession(grant));
  }

  /** Forgets the stored session (logout, or the account changed). */
  async clear(): Promise<void> {
    this.session = undefined;
    await this.deps.storage.remove(this.deps.storageKey);
  }

  async logout(): Promise<void> {
    const s = this.session;
    await this.clear();
    if (s) {
      await this.deps.http({
        method: 'DELETE',
        url: `${this.deps.baseUrl}/api/v1/sessions/current`,
        headers: { authorization: `Bearer ${s.token}` },
      });
    }
  }

  private async stored(): Promise<Session | undefined> {
    const raw = await this.deps.storage.get(this.deps.storageKey);
    if (!raw) return undefined;
    try {
      return JSON.parse(raw) as Session;
    } catch {
      return undefined;
    }
  }

  private async doRenew(): Promise<Session> {
    const nowS = this.deps.now() / 1000;
    // Another tab sharing this storage may have renewed already. Its session is this one's too: refresh
    // tokens work once, and the server ends a session whose used token comes back.
    const stored = await this.stored();
    if (stored && stored.refreshToken !== this.session?.refreshToken) {
      this.session = stored;
      if (stored.expiresAt - nowS > 60) return stored;
    }
    if (this.session && this.session.refreshExpiresAt - nowS > 60) {
      try {
        return await this.store(
          await this.post('/api/v1/sessions/refresh', { refresh_token: this.session.refreshToken }),
        );
      } catch (err) {
        if (!(err instanceof SessionError && err.permanent)) throw err;
        // The session ended (logout elsewhere, expiry): sign in again below.
      }
    }
    const { path, body } = await this.deps.credentials();
    return this.store(await this.post(path, body));
  }

  private async store(session: Session): Promise<Session> {
    this.session = session;
    await this.deps.storage.set(this.deps.storageKey, JSON.stringify(session));
    return session;
  }

  private async post(path: string, body: unknown): Promise<Session> {
    const res = await this.deps.http({
      method: 'POST',
      url: `${this.deps.baseUrl}${path}`,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    let parsed: unknown;
    try {
      parsed = JSON.parse(res.body);
    } catch {
      parsed = undefined;
    }
    if (res.status >= 200 && res.status < 300 && parsed) return toSession(parsed as GrantBody);
    const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new SessionError(
      error?.message ?? `HTTP ${String(res.status)}`,
      error?.code ?? 'http_error',
      res.status,
    );
  }
}
