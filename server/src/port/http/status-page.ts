import Router from '@koa/router';

// A self-contained status page (no external assets, works under a strict CSP): it asks /healthz and
// /readyz from the browser and shows the answers. Later issues link the console and demo mall here.
const PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kefu 客服系统</title>
<link rel="icon" href="/favicon.svg">
<style>
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 40rem; padding: 0 1rem; color: #1f2329; }
dt { font-weight: 600; } dd { margin: 0 0 .75rem; font-family: ui-monospace, monospace; }
.ok { color: #0a7f3f; } .bad { color: #c0392b; }
</style>
</head>
<body>
<h1>Kefu 客服系统</h1>
<dl>
<dt>服务状态 / Health</dt><dd id="health">…</dd>
<dt>就绪状态 / Readiness</dt><dd id="ready">…</dd>
</dl>
<script type="module" src="/status.js"></script>
</body>
</html>
`;

const SCRIPT = `
async function show(id, path) {
  const el = document.getElementById(id);
  try {
    const res = await fetch(path, { cache: 'no-store' });
    const body = await res.json();
    el.textContent = res.status + ' ' + JSON.stringify(body);
    el.className = res.ok ? 'ok' : 'bad';
  } catch (err) {
    el.textContent = String(err);
    el.className = 'bad';
  }
}
await Promise.all([show('health', '/healthz'), show('ready', '/readyz')]);
document.body.dataset.loaded = 'true';
`;

const FAVICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="8" fill="#1677ff"/>' +
  '<path d="M8 10h16v10H14l-4 4v-4H8z" fill="#fff"/></svg>';

export function statusPageRoutes(): Router {
  const router = new Router();
  router.get('/', (ctx) => {
    ctx.type = 'text/html; charset=utf-8';
    ctx.set('Content-Security-Policy', "default-src 'self'; style-src 'unsafe-inline'");
    ctx.body = PAGE;
  });
  router.get('/favicon.svg', (ctx) => {
    ctx.type = 'image/svg+xml';
    ctx.set('Cache-Control', 'public, max-age=86400');
    ctx.body = FAVICON;
  });
  router.get('/status.js', (ctx) => {
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.body = SCRIPT;
  });
  return router;
}
