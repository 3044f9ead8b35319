import { fileURLToPath } from 'node:url';
import { spawnUntilReady, type ManagedProcess } from '@kefu/tools';
import { loadConfig, type Config } from '../src/config.js';
import { createLogger } from '../src/log.js';
import { SessionRepository } from '../src/repository/session-repository.js';
import type { KefuServer } from '../src/server.js';
import type { Principal } from '../src/service/auth/tokens.js';

export const silentLogger = createLogger('silent');

/** A config on free ports with silent logs; `env` as the process would have it. */
export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ PORT: '0', EMBEDDED_MQTT_PORT: '0', LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
}

export const serverMain = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** Runs a server entry file in its own Node process (TypeScript through tsx) and waits for its banner. */
export async function spawnServer(
  entry: string,
  env: Record<string, string>,
): Promise<{ proc: ManagedProcess; url: string; exited: Promise<number | null> }> {
  const { proc, match } = await spawnUntilReady(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', entry],
    {
      name: 'kefu-server',
      readyWhen: /HTTP\s+(http:\/\/\S+)/,
      env: { ...process.env, PORT: '0', EMBEDDED_MQTT_PORT: '0', LOG_LEVEL: 'warn', ...env },
      timeoutMs: 60_000,
    },
  );
  const exited = new Promise<number | null>((resolve) => {
    if (proc.child.exitCode !== null) resolve(proc.child.exitCode);
    proc.child.once('exit', (code) => {
      resolve(code);
    });
  });
  return { proc, url: match[1]!, exited };
}

/** Runs a server entry that is expected to fail at start; resolves with its exit code and output. */
export async function runFailingServer(
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const { spawn } = await import('node:child_process');
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', serverMain], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

/**
 * An access token for a principal whose session is stored, as a sign-in would leave it: tokens of sessions
 * that do not exist are refused (service/auth/session-guard.ts).
 */
export async function liveAccessToken(
  server: KefuServer,
  principal: Principal,
  nowS?: number,
): Promise<string> {
  const sessions = new SessionRepository(server.db);
  if (!(await sessions.findSession(principal.sid))) {
    await sessions.saveSession({
      sid: principal.sid,
      uid: principal.uid,
      role: principal.role,
      kind: principal.kind,
      createdAt: new Date(),
      expiresAt: new Date(Date.now() + 86_400_000),
    });
  }
  return (await server.tokens.issueAccess(principal, nowS)).token;
}
