import { timingSafeEqual } from 'node:crypto';
import type { AuthenticateError, AuthorizePublishHandler, AuthorizeSubscribeHandler, Client } from 'aedes';
import type { Logger } from '../../log.js';
import { aclAllows, type AccessClaims, type TokenService } from '../../service/auth/tokens.js';

/** What the embedded Aedes broker enforces: the same JWT claims EMQX's authenticator checks (DESIGN.md §3). */
export interface BrokerPolicy {
  authenticate: (
    client: Client,
    username: Readonly<string> | undefined,
    password: Readonly<Buffer> | undefined,
    done: (error: AuthenticateError | null, success: boolean | null) => void,
  ) => void;
  authorizePublish: AuthorizePublishHandler;
  authorizeSubscribe: AuthorizeSubscribeHandler;
  /** Forget a client that went away (clears its token-expiry timer). */
  release: (client: Client) => void;
  /** Closes the connections of one session (`sid`), or of every session of the user. */
  disconnect: (target: { uid: string; sid?: string }) => Promise<void>;
}

export interface ServerCredentials {
  username: string;
  password: string;
}

interface ClientAuth {
  superuser: boolean;
  claims?: AccessClaims;
  expiryTimer?: NodeJS.Timeout;
}

// CONNACK return codes of MQTT 3.1.1 (aedes' AuthErrorCode is a const enum we cannot import at runtime).
const BAD_USERNAME_OR_PASSWORD = 4;
const NOT_AUTHORIZED = 5;

function authError(message: string, returnCode: number): AuthenticateError {
  const err = new Error(message) as AuthenticateError;
  (err as { returnCode: number }).returnCode = returnCode;
  return err;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createBrokerPolicy(deps: {
  tokens: TokenService;
  server: ServerCredentials;
  logger: Logger;
}): BrokerPolicy {
  // A Map, not a WeakMap: an ended session's connections are looked up to be closed; `release` removes
  // each client when it goes.
  const auths = new Map<Client, ClientAuth>();

  return {
    authenticate: (client, username, password, done) => {
      const pass = password?.toString('utf8') ?? '';
      if (username === deps.server.username) {
        if (sameSecret(pass, deps.server.password)) {
          auths.set(client, { superuser: true });
          done(null, true);
        } else {
          done(authError('bad server credentials', BAD_USERNAME_OR_PASSWORD), false);
        }
        return;
      }
      deps.tokens.verifyAccess(pass).then(
        (claims) => {
          // EMQX: verify_claims { sub = "${username}" } — a token only works for its own username.
          if (claims.uid !== username) {
            done(authError('token subject does not match the username', NOT_AUTHORIZED), false);
            return;
          }
          // Like EMQX ≥ 5.7: the connection ends when the token expires; the client refreshes and reconnects.
          const ms = claims.exp * 1000 - Date.now();
          const expiryTimer = setTimeout(() => {
            deps.logger.debug({ clientId: client.id }, 'mqtt token expired; disconnecting');
            auths.delete(client);
            client.close();
          }, ms);
          expiryTimer.unref();
          auths.set(client, { superuser: false, claims, expiryTimer });
          done(null, true);
        },
        (err: unknown) => {
          deps.logger.debug(
            { clientId: client.id, err: err instanceof Error ? err.message : String(err) },
            'mqtt auth refused',
          );
          done(
            authError(err instanceof Error ? err.message : 'invalid token', BAD_USERNAME_OR_PASSWORD),
            false,
          );
        },
      );
    },

    release: (client) => {
      clearTimeout(auths.get(client)?.expiryTimer);
      auths.delete(client);
    },

    disconnect: (target) => {
      for (const [client, auth] of auths) {
        const c = auth.claims;
        if (!c || c.uid !== target.uid || (target.sid !== undefined && c.sid !== target.sid)) continue;
        deps.logger.debug({ clientId: client.id, uid: c.uid }, 'session ended; disconnecting');
        clearTimeout(auth.expiryTimer);
        auths.delete(client);
        client.close();
      }
      return Promise.resolve();
    },

    authorizePublish: (client, packet, done) => {
      const auth = client ? auths.get(client) : undefined;
      if (auth?.superuser) {
        done(null);
        return;
      }
      if (auth?.claims && aclAllows(auth.claims.acl, 'publish', packet.topic)) {
        done(null);
        return;
      }
      done(new Error(`publish to ${packet.topic} denied`));
    },

    authorizeSubscribe: (client, subscription, done) => {
      const auth = auths.get(client);
      if (auth?.superuser || (auth?.claims && aclAllows(auth.claims.acl, 'subscribe', subscription.topic))) {
        done(null, subscription);
        return;
      }
      // Deny this filter only (SUBACK 0x80), keeping the connection, as EMQX does.
      done(null, null);
    },
  };
}
