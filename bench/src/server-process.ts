import { spawnUntilReady, type ManagedProcess } from '@kefu/tools';
import { IDENTITY_SECRET, JWT_SECRET } from './clients.js';

/** Sessions per IP and minute the benches' servers allow: every bench customer comes from 127.0.0.1. */
export const BENCH_SESSIONS_PER_IP_PER_MINUTE = 100_000;

/**
 * One Kefu server process as the benches run it: production mode, the bench's secrets and admin, quiet
 * logs, and the session limit raised (`env` adds or overrides). `command`: node's arguments, the compiled
 * server by default. Resolves once it answers HTTP.
 */
export async function startBenchServer(options: {
  name: string;
  port: number;
  mongodbUri: string;
  env?: Record<string, string>;
  command?: string[];
}): Promise<ManagedProcess> {
  const { proc } = await spawnUntilReady(process.execPath, options.command ?? ['server/dist/main.js'], {
    name: options.name,
    readyWhen: /HTTP\s+http:\/\/\S+/,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(options.port),
      MONGODB_URI: options.mongodbUri,
      JWT_SECRET,
      IDENTITY_SECRET,
      ADMIN_PASSWORD: 'bench-admin-pass',
      LOG_LEVEL: 'error',
      SESSION_REQUESTS_PER_IP_PER_MINUTE: String(BENCH_SESSIONS_PER_IP_PER_MINUTE),
      ...options.env,
    },
    timeoutMs: 60_000,
  });
  return proc;
}
