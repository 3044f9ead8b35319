import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const entry = fileURLToPath(new URL('../src/connections.ts', import.meta.url));

/** Runs the benchmark from its sources (it then runs the server from its sources too). */
function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', entry, ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

interface Usage {
  rss_per_connection_kb: number | null;
  peak_open_fds: number;
  fd_limit: number;
  exited: boolean;
}

describe('bench:connections (smoke)', () => {
  it.each(['aedes', 'mosquitto'])(
    'connects 50 customers on %s, delivers one message to each and prints the figures',
    async (broker) => {
      const args = ['--customers', '50', '--broker', broker, '--idle', '1', '--agents', '3', '--drain', '30'];
      const { code, stdout, stderr } = await runBench(args);
      expect(code, stderr).toBe(0);
      const result = JSON.parse(stdout) as Record<string, unknown> & {
        config: { customers: number; broker: string; session_requests_per_ip_per_minute: number };
        connect: {
          connected: number;
          failures: number;
          per_s: number;
          online_ms: { p50: number; p99: number };
        };
        open: { opened: number; assigned: number };
        idle: { dropped: number; online_after: number };
        fanout: {
          sent: number;
          delivered: number;
          lost: number;
          duplicated: number;
          first_to_last_ms: number;
          since_start_ms: { p50: number; p99: number };
          send_to_delivery_ms: { p50: number; p99: number };
        };
        server: Usage;
        broker: Usage | string;
        limits: string[];
      };
      expect(result.bench).toBe('connections');
      expect(result.config).toMatchObject({ customers: 50, broker });
      expect(result.config.session_requests_per_ip_per_minute).toBeGreaterThan(60);
      expect(result.connect).toMatchObject({ connected: 50, failures: 0 });
      expect(result.connect.per_s).toBeGreaterThan(0);
      expect(result.connect.online_ms.p99).toBeGreaterThanOrEqual(result.connect.online_ms.p50);
      expect(result.open).toMatchObject({ opened: 50, assigned: 50 });
      expect(result.idle).toMatchObject({ dropped: 0, online_after: 50 });
      expect(result.fanout).toMatchObject({ sent: 50, delivered: 50, lost: 0, duplicated: 0 });
      expect(result.fanout.first_to_last_ms).toBeGreaterThanOrEqual(0);
      expect(result.fanout.since_start_ms.p99).toBeGreaterThanOrEqual(result.fanout.since_start_ms.p50);
      expect(result.fanout.send_to_delivery_ms.p50).toBeGreaterThan(0);
      expect(typeof result.server.rss_per_connection_kb).toBe('number');
      expect(result.server.peak_open_fds).toBeGreaterThan(50);
      expect(result.server.fd_limit).toBeGreaterThan(0);
      expect(result.server.exited).toBe(false);
      if (broker === 'mosquitto') {
        const usage = result.broker as Usage;
        expect(typeof usage.rss_per_connection_kb).toBe('number');
        expect(usage.peak_open_fds).toBeGreaterThan(50);
        expect(usage.exited).toBe(false);
      } else {
        expect(result.broker).toBe('embedded in the server process');
      }
      expect(result.limits).toEqual([]);
    },
    // Starting FerretDB, the server from its sources and the agents takes most of it (60-70 s with the
    // machine busy).
    240_000,
  );
});
