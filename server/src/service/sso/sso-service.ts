import { randomBytes } from 'node:crypto';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config.js';
import { UnavailableError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { AgentRepository } from '../../repository/agent-repository.js';
import type { SsoClaimRepository } from '../../repository/sso-claim-repository.js';
import type { AuthService, SessionGrant } from '../auth/auth-service.js';
import { agentForIdentity, type SsoIdentity } from './agent-mapping.js';
import { SsoError } from './sso-error.js';

/** How long the user may take at the provider. */
const LOGIN_TTL_MS = 10 * 60_000;
/** The console exchanges the ticket right after the redirect. */
const TICKET_TTL_MS = 60_000;

export interface SsoDeps {
  config: OidcConfig;
  agents: AgentRepository;
  claims: SsoClaimRepository;
  auth: AuthService;
  logger: Logger;
}

export interface SsoCallbackResult {
  returnTo: string;
  ticket: string;
}

/**
 * OIDC authorization code flow with PKCE (S256), `state` and `nonce`, done server-side with
 * openid-client (certified, maintained, and it verifies the ID token: signature, issuer, audience,
 * expiry, nonce). The browser only ever carries a one-time ticket back to the console.
 */
export class SsoService {
  private discovery: Promise<oidc.Configuration> | undefined;

  constructor(private readonly deps: SsoDeps) {}

  get name(): string {
    return this.deps.config.name;
  }

  /** The provider URL to send the browser to; stores the PKCE verifier and nonce under the state. */
  async startLogin(returnTo: string, requestRedirectUri: string): Promise<URL> {
    const config = await this.provider();
    const redirectUri = this.deps.config.redirectUri ?? requestRedirectUri;
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    await this.deps.claims.saveLogin(
      state,
      { codeVerifier, nonce, returnTo, redirectUri },
      new Date(Date.now() + LOGIN_TTL_MS),
    );
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: this.deps.config.scopes,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
  }

  /**
   * Completes the flow for the provider's redirect (`query` as received). Throws SsoError with the
   * return path when it is known; an unknown or replayed state has none.
   */
  async finishLogin(query: URLSearchParams): Promise<SsoCallbackResult> {
    const state = query.get('state');
    const login = state ? await this.deps.claims.consumeLogin(state) : null;
    if (!login) throw new SsoError('invalid_state', 'The sign-in link is unknown, expired or already used');
    try {
      const providerError = query.get('error');
      if (providerError) {
        throw new SsoError(
          /^[a-z_]{1,40}$/.test(providerError) ? providerError : 'provider_error',
          'The identity provider refused the sign-in',
        );
      }
      const identity = await this.identityFrom(query, login);
      const agent = await agentForIdentity(this.deps.agents, identity, this.deps.config.autoProvision);
      if (agent.disabled) throw new SsoError('account_disabled', 'This account is disabled');
      const ticket = randomBytes(32).toString('base64url');
      await this.deps.claims.saveTicket(ticket, agent.uid, new Date(Date.now() + TICKET_TTL_MS));
      return { returnTo: login.returnTo, ticket };
    } catch (err) {
      const failure = err instanceof SsoError ? err : this.failure(err);
      failure.returnTo = login.returnTo;
      throw failure;
    }
  }

  /** The session for a ticket from finishLogin; each ticket works once, for 60 s. */
  async exchange(ticket: string): Promise<SessionGrant> {
    const uid = await this.deps.claims.consumeTicket(ticket);
    const agent = uid ? await this.deps.agents.findAgent(uid) : null;
    if (!agent)
      throw new SsoError('invalid_ticket', 'The sign-in ticket is unknown, expired or already used');
    return this.deps.auth.createAgentSession(agent);
  }

  private async identityFrom(
    query: URLSearchParams,
    login: { codeVerifier: string; nonce: string; redirectUri: string },
  ): Promise<SsoIdentity> {
    const config = await this.provider();
    // The token request must carry the exact redirect_uri sent at login, whatever host the callback
    // reached us through, so the current URL is rebuilt on it.
    const current = new URL(login.redirectUri);
    current.search = query.toString();
    const tokens = await oidc.authorizationCodeGrant(config, current, {
      pkceCodeVerifier: login.codeVerifier,
      expectedNonce: login.nonce,
      expectedState: query.get('state') ?? '',
      idTokenExpected: true,
    });
    const idToken = tokens.claims();
    if (!idToken) throw new SsoError('invalid_response', 'The identity provider sent no ID token');
    let claims: Record<string, unknown> = { ...idToken };
    // Providers that follow the spec strictly put scope claims (email…) only in UserInfo.
    if (typeof claims['email'] !== 'string' && config.serverMetadata().userinfo_endpoint) {
      claims = { ...(await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub)), ...claims };
    }
    const str = (k: string) => (typeof claims[k] === 'string' ? claims[k] : undefined);
    return {
      sub: idToken.sub,
      email: str('email'),
      emailVerified: claims['email_verified'] === true,
      name: str('name'),
      preferredUsername: str('preferred_username'),
    };
  }

  private failure(err: unknown): SsoError {
    if (err instanceof UnavailableError) return new SsoError('unavailable', err.message);
    this.deps.logger.warn({ err }, 'SSO sign-in failed at the token exchange');
    return new SsoError('token_exchange_failed', 'The identity provider answer could not be verified');
  }

  /** Discovery runs on first use and again after a failure, so the server starts while the IdP is down. */
  private async provider(): Promise<oidc.Configuration> {
    this.discovery ??= this.discover();
    try {
      return await this.discovery;
    } catch (err) {
      this.discovery = undefined;
      this.deps.logger.warn({ err, issuer: this.deps.config.issuer }, 'OIDC discovery failed');
      throw new UnavailableError('The identity provider cannot be reached; try again shortly');
    }
  }

  private discover(): Promise<oidc.Configuration> {
    const { issuer, clientId, clientSecret } = this.deps.config;
    // http:// issuers are refused in production by config.ts; allowed here for local development.
    const insecure = issuer.startsWith('http://');
    return oidc.discovery(
      new URL(issuer),
      clientId,
      clientSecret,
      clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(clientSecret),
      // Deprecated only "to stand out": exactly the local-development case it exists for.
      // eslint-disable-next-line @typescript-eslint/no-deprecated
      { timeout: 10, ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}) },
    );
  }
}
