import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startMall, type RunningMall } from '../mall/index.js';
import { CUSTOMERS } from '../mall/users.js';
import { LaunchConfigError, parseLaunchEnv, serverEnv } from './config.js';
import { DEMO_AGENTS, seedDemo } from './seed.js';

/** The server's development admin password (server/src/service/auth/auth-service.ts). */
const DEV_ADMIN_PASSWORD = 'kefu-admin';

export interface LaunchOptions {
  env: Readonly<Record<string, string | undefined>>;
  /** The repository root; the server entry is resolved from here, never from the cwd. */
  repoRoot: string;
  /** Default `<repoRoot>/server/dist/main.js`. */
  serverEntry?: string;
  serverStdio?: 'inherit' | 'ignore';
  out?: (text: string) => void;
  err?: (text: string) => void;
}

export interface LaunchUrls {
  mall: string;
  server: string;
  statusPage: string;
  console: string;
}

export interface Launch {
  /** The URLs once the mall listens and the server is ready; undefined when startup failed or was stopped. */
  ready: Promise<LaunchUrls | undefined>;
  /** The exit code for the launcher process: 0 after a requested stop, non-zero on any failure. */
  exited: Promise<number>;
  /** Stops the mall, then SIGTERMs the server; a second call kills the server at once. */
  stop(): void;
  /** Synchronous last resort (process 'exit'): SIGTERM the server if it still runs. */
  killServer(): void;
}

const POLL_MS = 300;
const SERVER_STOP_GRACE_MS = 30_000;

async function waitReady(url: string, timeoutMs: number, cancelled: () => boolean): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !cancelled()) {
    try {
      const res = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) });
      await res.body?.cancel();
      if (res.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return false;
}

const isRunning = (child: ChildProcess): boolean => child.exitCode === null && child.signalCode === null;

/**
 * `npm start`: the demo mall in-process and the Kefu server as a child process wired to it. The mall
 * starts first, so a busy MALL_PORT fails in a second and the server learns the mall's real port.
 */
export function launch(options: LaunchOptions): Launch {
  const out = options.out ?? ((text: string) => process.stdout.write(text));
  const err = options.err ?? ((text: string) => process.stderr.write(text));
  let stopping = false;
  // Read through a function: the flag changes in callbacks, which TypeScript's narrowing cannot see.
  const isStopping = (): boolean => stopping;
  let mall: RunningMall | undefined;
  let child: ChildProcess | undefined;
  let requestStop: () => void = () => undefined;
  const stopRequested = new Promise<'stop'>((resolve) => {
    requestStop = () => {
      resolve('stop');
    };
  });
  let resolveReady: (urls: LaunchUrls | undefined) => void = () => undefined;
  const ready = new Promise<LaunchUrls | undefined>((resolve) => {
    resolveReady = resolve;
  });

  const fail = (message: string): number => {
    err(`kefu-demo: ${message}\n`);
    return 1;
  };

  async function run(): Promise<number> {
    let settings;
    try {
      settings = parseLaunchEnv(options.env);
    } catch (e) {
      if (e instanceof LaunchConfigError) return fail(e.message);
      throw e;
    }
    // The mall's backend API is never open: without MALL_API_TOKEN, a random one per start is shared
    // by the mall and the server's adapter (orders are personal data).
    const apiToken = settings.mall.apiToken ?? randomBytes(24).toString('base64url');
    const entry = options.serverEntry ?? join(options.repoRoot, 'server', 'dist', 'main.js');
    if (!existsSync(entry)) return fail(`${entry} does not exist; run "npm run build" first`);

    try {
      mall = await startMall({ kefuUrl: settings.kefuPublicUrl, ...settings.mall, apiToken });
    } catch (e) {
      const { host, port } = settings.mall;
      return fail(
        `the demo mall could not listen on ${host}:${port} (MALL_HOST/MALL_PORT): ${e instanceof Error ? e.message : String(e)}`,
      );
    }
    if (isStopping()) {
      await mall.stop();
      return 0;
    }

    const server = spawn(process.execPath, ['--enable-source-maps', entry], {
      cwd: options.repoRoot,
      env: serverEnv(options.env, mall.url, apiToken),
      stdio: options.serverStdio ?? 'inherit',
      // Its own process group: Ctrl+C reaches only the launcher, which then sends exactly one SIGTERM.
      detached: true,
    });
    child = server;
    let spawnError: Error | undefined;
    const serverExit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
      server.once('exit', (code, signal) => {
        resolve({ code, signal });
      });
      server.once('error', (error) => {
        spawnError = error;
        resolve({ code: null, signal: null });
      });
    });
    const spawnFailure = (): Error | undefined => spawnError;
    const alive = (): boolean => spawnFailure() === undefined && isRunning(server);

    const first = await Promise.race([
      waitReady(settings.serverLocalUrl, settings.readyTimeoutMs, () => isStopping() || !alive()).then(
        (ok) => (ok ? ('ready' as const) : ('not_ready' as const)),
      ),
      serverExit.then(() => 'exited' as const),
      stopRequested,
    ]);
    let timedOut = false;
    if (first === 'ready' && !isStopping() && alive()) {
      const urls = {
        mall: settings.mall.publicUrl ?? mall.url,
        server: settings.kefuPublicUrl,
        statusPage: `${settings.kefuPublicUrl}/`,
        console: `${settings.kefuPublicUrl}/console/`,
      };
      // Demo colleagues for the console; never in production (real accounts come from the admin pages).
      if (options.env['NODE_ENV'] !== 'production') {
        const problems = await seedDemo(
          settings.serverLocalUrl,
          options.env['ADMIN_PASSWORD'] || DEV_ADMIN_PASSWORD,
        ).catch((e: unknown) => [String(e)]);
        for (const p of problems) err(`kefu-demo: demo data: ${p}\n`);
      }
      printUrls(
        out,
        urls,
        options.env['ADMIN_PASSWORD'] ? 'admin / $ADMIN_PASSWORD' : `admin / ${DEV_ADMIN_PASSWORD}`,
      );
      resolveReady(urls);
      await Promise.race([serverExit, stopRequested]);
    } else if (first === 'not_ready' && !isStopping() && alive()) {
      timedOut = true;
      err(
        `kefu-demo: the Kefu server was not ready after ${settings.readyTimeoutMs / 1000} s (${settings.serverLocalUrl}/readyz)\n`,
      );
    }
    resolveReady(undefined);

    await mall.stop();
    if (alive()) {
      server.kill('SIGTERM');
      const force = setTimeout(() => server.kill('SIGKILL'), SERVER_STOP_GRACE_MS);
      const result = await serverExit;
      clearTimeout(force);
      return timedOut ? 1 : (result.code ?? 1);
    }
    const result = await serverExit;
    const failure = spawnFailure();
    if (failure) return fail(`the Kefu server could not be started: ${failure.message}`);
    if (isStopping()) return result.code ?? 1;
    const how = result.signal ? `signal ${result.signal}` : `code ${String(result.code)}`;
    fail(`the Kefu server exited unexpectedly (${how})`);
    return result.code !== null && result.code !== 0 ? result.code : 1;
  }

  const exited = run()
    .catch((e: unknown) => fail(e instanceof Error ? (e.stack ?? e.message) : String(e)))
    .finally(() => {
      // A no-op when the URLs were already announced.
      resolveReady(undefined);
    });

  return {
    ready,
    exited,
    stop() {
      if (stopping) {
        if (child && isRunning(child)) child.kill('SIGKILL');
        return;
      }
      stopping = true;
      requestStop();
    },
    killServer() {
      if (child && isRunning(child)) child.kill('SIGTERM');
    },
  };
}

function printUrls(out: (text: string) => void, urls: LaunchUrls, admin: string): void {
  const people = CUSTOMERS.map((c) => `${c.name} ${c.user_id}`).join(' · ');
  out(
    [
      '',
      'Kefu demo is running (演示环境已启动):',
      `  Demo mall (积分商城)   ${urls.mall}`,
      `  Sign in as a customer  ${urls.mall}/login   (${people})`,
      `  Kefu server            ${urls.server}`,
      `  Agent console (工作台) ${urls.console}   (${admin}${DEMO_AGENTS.map((a) => ` · ${a.username} / ${a.password}`).join('')})`,
      `  Status page            ${urls.statusPage}`,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n') + '\n',
  );
}
