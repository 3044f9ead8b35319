import { fileURLToPath } from 'node:url';
import Router from '@koa/router';
import { NotFoundError } from '../../errors.js';
import { staticFiles } from './static-files.js';

/** The widget's bundles as built by the root rollup.config.mjs (sdk-web/dist/bundle). */
export const DEFAULT_WIDGET_DIR = fileURLToPath(new URL('../../../../sdk-web/dist/bundle/', import.meta.url));

/** Only these names are served: no path from the request ever reaches the file system. */
const FILES = ['kefu-loader.js', 'kefu-panel.js'] as const;

/**
 * Serves the embeddable widget at /sdk/v1/kefu-loader.js and /sdk/v1/kefu-panel.js, from any origin
 * (the panel is an ES module that the mall's page imports cross-origin). Short cache with ETag
 * revalidation: the names carry no hash, so a deploy must reach browsers within minutes.
 */
export function widgetRoutes(dir: string = DEFAULT_WIDGET_DIR): Router {
  const router = new Router({ prefix: '/sdk/v1' });
  const load = staticFiles(dir, (name) => `${name} is not built (run npm run build)`);
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
