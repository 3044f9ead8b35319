import type { Context, Middleware } from 'koa';
import { ForbiddenError, UnauthenticatedError } from '../../errors.js';
import type { Actor } from '../../service/admin/actor.js';
import type { AccessClaims, TokenService } from '../../service/auth/tokens.js';

export interface AuthState {
  principal: AccessClaims;
}

/** Bearer access token → `ctx.state.principal`; 401 otherwise. */
export function requireAuth(tokens: TokenService): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthenticatedError('Missing bearer token');
    (ctx.state as AuthState).principal = await tokens.verifyAccess(match[1]);
    await next();
  };
}

export function principalOf(ctx: Context): AccessClaims {
  const principal = (ctx.state as Partial<AuthState>).principal;
  if (!principal) throw new UnauthenticatedError('Not signed in');
  return principal;
}

/** Agents only, optionally with a permission. */
export function requireAgent(permission?: string): Middleware {
  return async (ctx, next) => {
    const principal = principalOf(ctx);
    if (principal.role !== 'agent') throw new ForbiddenError('Agents only');
    if (permission && !principal.perms.includes(permission)) {
      throw new ForbiddenError(`Missing permission ${permission}`);
    }
    await next();
  };
}

/** Who makes an admin change, for the audit log. */
export function actorOf(ctx: Context): Actor {
  return { uid: principalOf(ctx).uid, ip: ctx.ip };
}
