import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Account } from 'oidc-provider';

export interface TestUser {
  email?: string;
  email_verified?: boolean;
  name?: string;
  preferred_username?: string;
}

export interface TestIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account the next interaction signs in as (the "user" at the provider). */
  signInAs(accountId: string): void;
  users: Map<string, TestUser>;
  close(): Promise<void>;
}

/**
 * A real OpenID provider (oidc-provider) on a loopback port: PKCE required, one confidential client.
 * Its login/consent interaction is ours and instant: it signs in whoever `signInAs` named and grants
 * the requested scopes, so the test drives the whole redirect flow with plain HTTP.
 */
export async function startTestIdp(options: { redirectUris: string[]; port?: number }): Promise<TestIdp> {
  const users = new Map<string, TestUser>();
  let nextAccount = '';
  // Created once the port is known (the issuer URL contains it); requests before that get 503.
  const holder: { provider?: Provider } = {};
  const http: Server = createServer((req, res) => {
    const provider = holder.provider;
    if (!provider) {
      res.statusCode = 503;
      res.end();
      return;
    }
    if (!req.url?.startsWith('/interaction/')) {
      provider.callback()(req, res);
      return;
    }
    const p = provider;
    void (async () => {
      const details = await p.interactionDetails(req, res);
      const grant = new p.Grant({ accountId: nextAccount, clientId: String(details.params['client_id']) });
      grant.addOIDCScope(String(details.params['scope']));
      const grantId = await grant.save();
      await p.interactionFinished(
        req,
        res,
        { login: { accountId: nextAccount }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${String((http.address() as AddressInfo).port)}`;
  const clientId = 'kefu-console';
  const clientSecret = 'kefu-test-client-secret';
  holder.provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    findAccount: (_ctx: unknown, id: string): Account | undefined => {
      const user = users.get(id);
      return user ? { accountId: id, claims: () => Promise.resolve({ sub: id, ...user }) } : undefined;
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['test-idp-cookie-key-0123456789'] },
  });
  return {
    issuer,
    clientId,
    clientSecret,
    users,
    signInAs(accountId) {
      nextAccount = accountId;
    },
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => {
          resolve();
        });
      }),
  };
}

/** Cookies by name (enough for one provider on one host); a fresh jar per browser. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const expired = attrs.some((a) => /^\s*expires=.*1970/i.test(a) || /^\s*max-age=0/i.test(a));
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, pair.slice(eq + 1));
    }
  }
}

/**
 * What a browser does at the provider: follows its redirects from `location` (the authorization URL) with
 * a fresh cookie jar, and returns the first URL outside the provider — our callback.
 */
export async function throughProvider(idp: TestIdp, location: string): Promise<string> {
  const jar = new CookieJar();
  let next = location;
  for (let hops = 0; hops < 10 && next.startsWith(idp.issuer); hops++) {
    const res = await fetch(next, { redirect: 'manual', headers: { cookie: jar.header() } });
    jar.store(res);
    next = new URL(res.headers.get('location') ?? '', next).href;
  }
  return next;
}
