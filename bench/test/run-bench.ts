// Runs a compiled benchmark (bench/dist/<name>.js, what `npm run bench:<name>` runs; `npm test` builds
// before the suite) and reports what it printed and any process it left running. Every process the
// benchmark starts — FerretDB, Mosquitto, the servers, Chromium — inherits a marker in its environment,
// so leftovers are found even after they were re-parented, and are killed (by pid) before the test fails.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const MARKER = 'KEFU_BENCH_SMOKE_RUN';

export interface BenchRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Processes of this run still alive after it exited (command lines); they have been killed. */
  leftovers: string[];
}

/** Pids (with command lines) of live processes whose environment carries `marker`. */
async function processesMarked(marker: string): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const needle = `${MARKER}=${marker}`;
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      const environ = await readFile(`/proc/${entry}/environ`, 'utf8');
      if (!environ.split('\0').includes(needle)) continue;
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      if (/^\d+ \(.*\) Z /s.test(stat)) continue; // a zombie is already gone
      found.set(pid, (await readFile(`/proc/${entry}/cmdline`, 'utf8')).replaceAll('\0', ' ').trim());
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}

/** Runs `bench/dist/<name>.js args`; after `timeoutMs` it is stopped (SIGTERM, then SIGKILL). */
export async function runBench(name: string, args: readonly string[], timeoutMs: number): Promise<BenchRun> {
  const entry = `${root}bench/dist/${name}.js`;
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);
  const marker = randomUUID();
  // Its own process group: a timeout stops the benchmark and everything it started in one signal.
  const child = spawn(process.execPath, [entry, ...args], {
    cwd: root,
    detached: true,
    env: { ...process.env, [MARKER]: marker },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // The group has exited.
    }
  };
  const timers = [
    setTimeout(() => {
      stderr += `\nrun-bench: stopped after ${String(timeoutMs)} ms\n`;
      signalGroup('SIGTERM');
    }, timeoutMs),
    setTimeout(() => {
      signalGroup('SIGKILL');
    }, timeoutMs + 10_000),
  ];
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  timers.forEach(clearTimeout);
  // Chromium leaves when its pipe to Playwright closes: give stragglers a moment before counting them.
  let left = await processesMarked(marker);
  for (let i = 0; i < 20 && left.size > 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    left = await processesMarked(marker);
  }
  for (const pid of left.keys()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Exited meanwhile.
    }
  }
  return { code, stdout, stderr, leftovers: [...left.values()] };
}

/** The one JSON object a benchmark prints on stdout. */
export function parseResult(run: BenchRun): Record<string, unknown> {
  return JSON.parse(run.stdout) as Record<string, unknown>;
}
