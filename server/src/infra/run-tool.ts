import { spawn } from 'node:child_process';

export interface ToolResult {
  /** Exit code; null when the process was killed (see `timedOut`). */
  code: number | null;
  /** Standard output, at most `maxOutputBytes` of it (the rest is read and dropped). */
  stdout: string;
  /** Standard error, at most `maxOutputBytes` of it. */
  stderr: string;
  timedOut: boolean;
}

/** The program could not be started at all (not installed, not executable). */
export class ToolMissingError extends Error {
  override readonly name = 'ToolMissingError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} could not be started: ${reason}`);
  }
}

/**
 * Runs a program directly (no shell: arguments are never interpreted) with stdin closed, a time limit
 * after which it is killed (SIGKILL: a stuck decoder may ignore SIGTERM), and bounded memory for its
 * output. Never rejects for a non-zero exit; rejects with ToolMissingError when it cannot be started.
 */
export function runTool(
  path: string,
  args: readonly string[],
  options: { timeoutMs: number; maxOutputBytes: number },
): Promise<ToolResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const collect = (stream: NodeJS.ReadableStream): (() => string) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      stream.on('data', (chunk: Buffer) => {
        if (kept >= options.maxOutputBytes) return;
        const part = chunk.subarray(0, options.maxOutputBytes - kept);
        chunks.push(part);
        kept += part.length;
      });
      return () => Buffer.concat(chunks).toString('utf8');
    };
    const stdout = collect(child.stdout);
    const stderr = collect(child.stderr);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ToolMissingError(path, err.code ?? err.message));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout(), stderr: stderr(), timedOut });
    });
  });
}
