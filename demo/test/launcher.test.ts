import { fileURLToPath } from 'node:url';
import { getFreePort } from '@kefu/tools/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { LaunchConfigError, localUrl, parseLaunchEnv, serverEnv } from '../src/launcher/config.js';
import { launch, type Launch } from '../src/launcher/launch.js';
import { startMall } from '../src/index.js';

const FAKE_SERVER = fileURLToPath(new URL('./fixtures/fake-server.mjs', import.meta.url));
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('parseLaunchEnv', () => {
  it('defaults to the mall on 127.0.0.1:8081 and the server on 127.0.0.1:8080', () => {
    expect(parseLaunchEnv({})).toEqual({
      mall: {
        host: '127.0.0.1',
        port: 8081,
        publicUrl: undefined,
        identitySecret: 'kefu-dev-identity-secret',
        apiToken: undefined,
      },
      kefuPublicUrl: 'http://127.0.0.1:8080',
      serverLocalUrl: 'http://127.0.0.1:8080',
      readyTimeoutMs: 180_000,
    });
  });

  it('reads every variable; empty strings count as unset', () => {
    const settings = parseLaunchEnv({
      PORT: '9090',
      HOST: '0.0.0.0',
      MALL_PORT: '0',
      MALL_HOST: '0.0.0.0',
      MALL_PUBLIC_URL: 'https://mall.example.com/',
      KEFU_PUBLIC_URL: 'https://kefu.example.com',
      IDENTITY_SECRET: 'a-long-enough-secret',
      MALL_API_TOKEN: 'tok',
    });
    expect(settings.mall).toEqual({
      host: '0.0.0.0',
      port: 0,
      publicUrl: 'https://mall.example.com',
      identitySecret: 'a-long-enough-secret',
      apiToken: 'tok',
    });
    expect(settings.kefuPublicUrl).toBe('https://kefu.example.com');
    expect(settings.serverLocalUrl).toBe('http://127.0.0.1:9090');
    expect(parseLaunchEnv({ PORT: '9191' }).kefuPublicUrl).toBe('http://127.0.0.1:9191');
    expect(parseLaunchEnv({ MALL_PORT: '', KEFU_PUBLIC_URL: '', MALL_API_TOKEN: '' })).toEqual(
      parseLaunchEnv({}),
    );
  });

  it('names every invalid variable at once', () => {
    let error: unknown;
    try {
      parseLaunchEnv({
        MALL_PORT: 'abc',
        PORT: '99999',
        KEFU_PUBLIC_URL: 'ftp://kefu.example.com',
        MALL_PUBLIC_URL: 'https://mall.example.com/?a=1',
        IDENTITY_SECRET: 'short',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LaunchConfigError);
    const problems = (error as LaunchConfigError).problems;
    expect(problems).toHaveLength(5);
    expect(problems.join('\n')).toMatch(/MALL_PORT="abc": must be an integer/);
    expect(problems.join('\n')).toMatch(/PORT="99999"/);
    expect(problems.join('\n')).toMatch(/KEFU_PUBLIC_URL/);
    expect(problems.join('\n')).toMatch(/MALL_PUBLIC_URL/);
    expect(problems.join('\n')).toMatch(/IDENTITY_SECRET: must be at least 16/);
    expect(() => parseLaunchEnv({ PORT: '0' })).toThrow(/fixed port/);
  });

  it('localUrl maps wildcard hosts to loopback and brackets IPv6', () => {
    expect(localUrl('0.0.0.0', 1)).toBe('http://127.0.0.1:1');
    expect(localUrl('::', 2)).toBe('http://127.0.0.1:2');
    expect(localUrl('::1', 3)).toBe('http://[::1]:3');
    expect(localUrl('10.0.0.5', 4)).toBe('http://10.0.0.5:4');
  });
});

describe('serverEnv', () => {
  it('passes the environment through and points the mall adapter at the mall unless already set', () => {
    const env = serverEnv(
      { FOO: 'bar', MALL_ORDER_URL: 'https://real-mall/api/o/{order_no}', MALL_ORDERS_URL: '' },
      'http://127.0.0.1:8081',
      'tok',
    );
    expect(env).toEqual({
      FOO: 'bar',
      MALL_PRODUCT_URL: 'http://127.0.0.1:8081/api/products/{id}',
      MALL_ORDERS_URL: 'http://127.0.0.1:8081/api/users/{user_id}/orders?limit={limit}',
      MALL_ORDER_URL: 'https://real-mall/api/o/{order_no}',
      MALL_PRODUCT_PAGE_URL: 'http://127.0.0.1:8081/products/{id}',
      MALL_ORDER_PAGE_URL: 'http://127.0.0.1:8081/orders/{order_no}',
    });
    expect(serverEnv({}, 'http://127.0.0.1:8081', 'tok')['MALL_API_TOKEN']).toBe('tok');
    expect(serverEnv({ MALL_API_TOKEN: 'own' }, 'http://127.0.0.1:8081', 'tok')['MALL_API_TOKEN']).toBe(
      'own',
    );
    // A real mall's API never gets the demo mall's token.
    expect(env['MALL_API_TOKEN']).toBeUndefined();
  });
});

describe('launch (npm start) with a stand-in server', () => {
  let running: Launch | undefined;
  afterEach(async () => {
    if (running) {
      running.stop();
      await running.exited;
      running = undefined;
    }
  });

  async function start(
    extraEnv: Record<string, string> = {},
  ): Promise<{ launch: Launch; output: string[]; port: number }> {
    const port = await getFreePort();
    const output: string[] = [];
    running = launch({
      env: { PORT: String(port), MALL_PORT: '0', PASS_THROUGH: 'yes', ...extraEnv },
      repoRoot: REPO_ROOT,
      serverEntry: FAKE_SERVER,
      out: (t) => output.push(t),
      err: (t) => output.push(t),
    });
    return { launch: running, output, port };
  }

  it('wires the server to the mall, prints the URLs and stops both on request', async () => {
    const { launch: l, output, port } = await start();
    const urls = await l.ready;
    expect(urls).toBeDefined();
    expect(urls?.server).toBe(`http://127.0.0.1:${port}`);
    expect(urls?.statusPage).toBe(`http://127.0.0.1:${port}/`);
    const mallUrl = urls?.mall ?? '';
    expect(mallUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const text = output.join('');
    for (const url of [mallUrl, urls?.server ?? '', urls?.statusPage ?? '']) expect(text).toContain(url);
    expect(text).toContain('张三 u1001');

    const { env, cwd } = (await (await fetch(`http://127.0.0.1:${port}/env`)).json()) as {
      env: Record<string, string | undefined>;
      cwd: string;
    };
    expect(cwd.replace(/\/$/, '')).toBe(REPO_ROOT.replace(/\/$/, ''));
    expect(env['PASS_THROUGH']).toBe('yes');
    expect(env['MALL_PRODUCT_URL']).toBe(`${mallUrl}/api/products/{id}`);
    expect(env['MALL_ORDERS_URL']).toBe(`${mallUrl}/api/users/{user_id}/orders?limit={limit}`);
    expect(env['MALL_ORDER_URL']).toBe(`${mallUrl}/api/users/{user_id}/orders/{order_no}`);
    expect(env['MALL_PRODUCT_PAGE_URL']).toBe(`${mallUrl}/products/{id}`);
    expect(env['MALL_ORDER_PAGE_URL']).toBe(`${mallUrl}/orders/{order_no}`);
    // The mall's API is closed without the token, which the server is given (a random one per start).
    const token = env['MALL_API_TOKEN'] ?? '';
    expect(token.length).toBeGreaterThanOrEqual(32);
    const productUrl = (env['MALL_PRODUCT_URL'] ?? '').replace('{id}', 'p1001');
    expect((await fetch(productUrl)).status).toBe(401);
    expect((await fetch(`${mallUrl}/api/users/u1001/orders`)).status).toBe(401);
    // The adapter URLs really reach the mall's backend API.
    const product = await fetch(productUrl, { headers: { authorization: `Bearer ${token}` } });
    expect(((await product.json()) as { title: string }).title).toBe('咖啡电子兑换券（中杯拿铁）');
    const page = await (await fetch(`${mallUrl}/`)).text();
    expect(page).toContain(`<script async src="http://127.0.0.1:${port}/sdk/v1/kefu-loader.js"></script>`);

    l.stop();
    expect(await l.exited).toBe(0);
    running = undefined;
    await expect(fetch(`${mallUrl}/`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${port}/readyz`)).rejects.toThrow();
  });

  it('exits non-zero and stops the mall when the server dies', async () => {
    const { launch: l, output } = await start({ FAKE_SERVER_DIE: '1' });
    const urls = await l.ready;
    expect(await l.exited).toBe(3);
    running = undefined;
    expect(output.join('')).toMatch(/the Kefu server exited unexpectedly \(code 3\)/);
    await expect(fetch(`${urls?.mall ?? ''}/`)).rejects.toThrow();
  });

  it('refuses a bad environment before starting anything', async () => {
    const output: string[] = [];
    const l = launch({
      env: { MALL_PORT: 'eighty' },
      repoRoot: REPO_ROOT,
      serverEntry: FAKE_SERVER,
      err: (t) => output.push(t),
    });
    expect(await l.exited).toBe(1);
    expect(await l.ready).toBeUndefined();
    expect(output.join('')).toMatch(/kefu-demo: Invalid configuration:\n {2}- MALL_PORT="eighty"/);
  });

  it('says to build first when the server entry is missing', async () => {
    const output: string[] = [];
    const l = launch({ env: {}, repoRoot: '/nonexistent-repo', err: (t) => output.push(t) });
    expect(await l.exited).toBe(1);
    expect(output.join('')).toContain(
      '/nonexistent-repo/server/dist/main.js does not exist; run "npm run build" first',
    );
  });

  it('fails fast when MALL_PORT is taken, without starting the server', async () => {
    const busy = await startMall({ kefuUrl: 'http://127.0.0.1:1', port: 0 });
    try {
      const serverPort = await getFreePort();
      const output: string[] = [];
      const l = launch({
        env: { PORT: String(serverPort), MALL_PORT: new URL(busy.url).port },
        repoRoot: REPO_ROOT,
        serverEntry: FAKE_SERVER,
        err: (t) => output.push(t),
      });
      expect(await l.exited).toBe(1);
      expect(output.join('')).toMatch(
        /the demo mall could not listen on 127\.0\.0\.1:\d+ \(MALL_HOST\/MALL_PORT\): .*EADDRINUSE/,
      );
      await expect(fetch(`http://127.0.0.1:${serverPort}/readyz`)).rejects.toThrow();
    } finally {
      await busy.stop();
    }
  });
});
