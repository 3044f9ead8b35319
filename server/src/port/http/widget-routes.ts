import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { NotFoundError } from '../../errors.js';
import { staticFiles } from './static-files.js';

/** The widget's bundles as built by the root rollup.config.mjs (sdk-web/dist/bundle). */
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../../../sdk-web/dist/bundle/', import.meta.url));

/** Only these names are served: no path from the request ever reaches the file system. */
const FILES = ['kefu-loader.js', 'kefu-panel.js'] as const;
/** Sticker packs and pictures are named like sdk-core's stickers.ts ids: lower case, digits and `-`. */
const STICKER_NAME = /^[a-z][a-z0-9-]{0,31}$/;
/** An SVG may hold scripts and links: opened on its own it gets no script, no fetch, only its styles. */
const STICKER_CSP = "default-src 'none'; style-src 'unsafe-inline'";

/**
 * Serves the embeddable widget at /sdk/v1/kefu-loader.js and /sdk/v1/kefu-panel.js, from any origin
 * (the panel is an ES module that the mall's page imports cross-origin). Short cache with ETag
 * revalidation: the names carry no hash, so a deploy must reach browsers within minutes.
 */
export function widgetRoutes(dir: string = DEFAULT_WIDGET_DIR): Router {
  const router = new Router({ prefix: '/sdk/v1' });
  const load = staticFiles(dir, (name) => `${name} is not built (run npm run build)`);
  const loadSticker = staticFiles(dir, () => 'Unknown sticker');
  /**
   * The built-in sticker pictures (/sdk/v1/stickers/kefu/<id>.svg, copied next to the bundles by the
   * build). A sticker's URL never changes what it shows, so browsers keep it for a year.
   */
  router.get('/stickers/:pack/:file', async (ctx) => {
    const pack = ctx.params['pack'] ?? '';
    const id = /^(.+)\.svg$/.exec(ctx.params['file'] ?? '')?.[1] ?? '';
    if (!STICKER_NAME.test(pack) || !STICKER_NAME.test(id)) throw new NotFoundError('Unknown sticker');
    const { body, etag } = await loadSticker(`stickers/${pack}/${id}.svg`);
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', STICKER_CSP);
    ctx.set('ETag', etag);
    ctx.type = 'image/svg+xml';
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = body;
  });
  router.get('/:file', async (ctx) => {
    const name = FILES.find((f) => f === ctx.params['file']);
    if (!name) throw new NotFoundError('Unknown widget file');
    const { body, etag } = await load(name);
    ctx.set('Access-Control-Allow-Origin', '*');
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('ETag', etag);
    ctx.type = 'text/javascript; charset=utf-8';
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    ctx.body = body;
  });
  return router;
}
