import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool, ToolMissingError } from '../../src/infra/run-tool.js';

describe('runTool', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kefu-run-tool-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes arguments without a shell and reports the exit code and output', async () => {
    const result = await runTool('/bin/echo', ['$(touch pwned)', '; ls', '`id`'], {
      timeoutMs: 5_000,
      maxOutputBytes: 1024,
    });
    expect(result).toEqual({ code: 0, stdout: '$(touch pwned) ; ls `id`\n', stderr: '', timedOut: false });
    const failed = await runTool('/bin/sh', ['-c', 'echo oops >&2; exit 3'], {
      timeoutMs: 5_000,
      maxOutputBytes: 1024,
    });
    expect(failed).toMatchObject({ code: 3, stderr: 'oops\n', timedOut: false });
    expect(await readdir(process.cwd())).not.toContain('pwned');
  });

  it('kills a program that runs past its time limit', async () => {
    const started = Date.now();
    const result = await runTool('/bin/sleep', ['30'], { timeoutMs: 200, maxOutputBytes: 1024 });
    expect(result.timedOut).toBe(true);
    expect(result.code).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('keeps at most maxOutputBytes of each stream and reads the rest away', async () => {
    const result = await runTool('/bin/sh', ['-c', 'head -c 5000000 /dev/zero | tr "\\0" a; echo done >&2'], {
      timeoutMs: 10_000,
      maxOutputBytes: 1000,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('a'.repeat(1000));
    expect(result.stderr).toBe('done\n');
  });

  it('rejects with ToolMissingError when the program cannot be started', async () => {
    const missing = runTool(join(dir, 'no-such-ffmpeg'), ['-version'], {
      timeoutMs: 1_000,
      maxOutputBytes: 10,
    });
    await expect(missing).rejects.toBeInstanceOf(ToolMissingError);
    await expect(missing).rejects.toThrow(/ENOENT/);
  });
});
