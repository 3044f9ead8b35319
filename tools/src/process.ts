import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const MAX_OUTPUT = 256 * 1024;

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Sends SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code (null when killed). */
  stop(graceMs?: number): Promise<number | null>;
  /** Output seen so far (stdout and stderr interleaved), for error messages. */
  output(): string;
}

export interface SpawnUntilOptions extends SpawnOptions {
  /** Resolves once a line of output matches. */
  readyWhen: RegExp;
  timeoutMs?: number;
  name: string;
}

/**
 * Spawns a long-running process and resolves once its output says it is ready, with the match.
 * Rejects with the collected output when it exits or times out first.
 */
export function spawnUntilReady(
  command: string,
  args: readonly string[],
  options: SpawnUntilOptions,
): Promise<{ proc: ManagedProcess; match: RegExpMatchArray }> {
  const { readyWhen, timeoutMs = 30_000, name, ...spawnOptions } = options;
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], ...spawnOptions });
  let out = '';
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
    });
  });
  const proc: ManagedProcess = {
    child,
    output: () => out,
    async stop(graceMs = 5_000) {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void proc.stop(0);
      reject(new Error(`${name} was not ready after ${timeoutMs} ms:\n${out}`));
    }, timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString('utf8');
      // Long-running services log for hours: keep the tail only.
      if (out.length > MAX_OUTPUT) out = out.slice(-MAX_OUTPUT / 2);
      const match = readyWhen.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ proc, match });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`${name} could not be started: ${err.message}`));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${String(code)} before it was ready:\n${out}`));
    });
  });
}
