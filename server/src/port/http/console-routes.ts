import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { NotFoundError } from '../../errors.js';
import { staticFiles } from './static-files.js';

/** The agent console as built by the root rollup.config.mjs (demo/console/dist/bundle). */
export const DEFAULT_CONSOLE_DIR = fileURLToPath(
  new URL('../../../../demo/console/dist/bundle/', import.meta.url),
);

const TYPES = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
} as const;
type ConsoleFile = keyof typeof TYPES;

/**
 * The console's page is same-origin with the API (no CORS, SSO returns here). A strict CSP: scripts and
 * styles only from this origin; images also from the mall (product pictures) and blob:/data: previews.
 */
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  'img-src * data: blob:',
  'media-src * blob:',
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** Serves the agent console at /console/ (index.html for every page path: it routes by hash). */
export function consoleRoutes(dir: string = DEFAULT_CONSOLE_DIR): Router {
  // Strict: /console and /console/ are different paths (the first redirects to the second).
  const router = new Router({ strict: true });
  const load = staticFiles(dir, (name) => `console ${name} is not built (run npm run build)`);
  router.get('/console', (ctx) => {
    ctx.redirect('/console/');
  });
  router.get(['/console/', '/console/:file'], async (ctx) => {
    const requested = ctx.params['file'] ?? 'index.html';
    const name = (Object.keys(TYPES) as ConsoleFile[]).find((f) => f === requested);
    if (!name) throw new NotFoundError('Unknown console file');
    const { body, etag } = await load(name);
    ctx.set('Cache-Control', name === 'index.html' ? 'no-cache' : 'public, max-age=300');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'same-origin');
    if (name === 'index.html') {
      ctx.set('Content-Security-Policy', CSP);
      ctx.set('X-Frame-Options', 'DENY');
    }
    ctx.set('ETag', etag);
    ctx.type = TYPES[name];
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = body;
  });
  return router;
}
