import Router from '@koa/router';
import type { Context } from 'koa';
import { z } from 'zod';
import { NotFoundError, UnavailableError } from '../../errors.js';
import { SsoError } from '../../service/sso/sso-error.js';
import type { SsoService } from '../../service/sso/sso-service.js';
import { landingPath, safeReturnPath } from './return-path.js';
import { limitPerIp } from './rate-limit.js';
import { grantBody, type SessionRouteDeps } from './session-routes.js';
import { parseBody } from './validate.js';

export const SSO_CALLBACK_PATH = '/api/v1/agent/sso/callback';

export interface SsoRouteDeps extends Pick<SessionRouteDeps, 'topics' | 'mqttUrlFor'> {
  /** undefined: OIDC_ISSUER is unset. */
  sso: SsoService | undefined;
  requestsPerIpPerMinute: number;
}

const exchangeSchema = z.strictObject({ ticket: z.string().min(1).max(256) });

/** Back to the console; whatever `returnTo` holds, only an allow-listed path of this origin. */
function redirect(ctx: Context, returnTo: string | undefined, fragment: string): void {
  // The ticket travels in the fragment: never sent to a server, never in logs or Referer headers.
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.redirect(`${landingPath(returnTo)}#${fragment}`);
}

export function ssoRoutes(deps: SsoRouteDeps): Router {
  const router = new Router({ prefix: '/api/v1/agent/sso' });
  const limit = limitPerIp(deps.requestsPerIpPerMinute, 60_000, 'sign-in');
  const sso = (): SsoService => {
    if (!deps.sso) throw new NotFoundError('Single sign-on is not configured on this server (OIDC_ISSUER)');
    return deps.sso;
  };

  router.get('/config', (ctx) => {
    ctx.body = deps.sso ? { enabled: true, name: deps.sso.name } : { enabled: false };
  });

  router.get('/login', limit, async (ctx) => {
    const service = sso();
    // Refused with 400 before any redirect.
    const returnTo = safeReturnPath(ctx.query['return_to']);
    try {
      // Host and scheme come from X-Forwarded-* only through a trusted proxy (proxy-trust.ts).
      const url = await service.startLogin(returnTo, `${ctx.protocol}://${ctx.host}${SSO_CALLBACK_PATH}`);
      ctx.set('Cache-Control', 'no-store');
      ctx.redirect(url.href);
    } catch (err) {
      // The browser navigated here: an unreachable provider is reported to the console, not as JSON.
      if (!(err instanceof UnavailableError)) throw err;
      redirect(ctx, returnTo, 'sso_error=unavailable');
    }
  });

  router.get('/callback', limit, async (ctx) => {
    const service = sso();
    try {
      const { returnTo, ticket } = await service.finishLogin(new URLSearchParams(ctx.querystring));
      redirect(ctx, returnTo, `sso=${encodeURIComponent(ticket)}`);
    } catch (err) {
      if (!(err instanceof SsoError)) throw err;
      redirect(ctx, err.returnTo, `sso_error=${err.reason}`);
    }
  });

  router.post('/exchange', limit, async (ctx) => {
    const service = sso();
    const body = parseBody(ctx, exchangeSchema);
    const grant = await service.exchange(body.ticket);
    ctx.set('Cache-Control', 'no-store');
    ctx.status = 201;
    ctx.body = grantBody(ctx, deps, grant);
  });

  return router;
}
