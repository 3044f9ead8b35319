import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { getFreePort } from './ports.js';
import { spawnUntilReady, type ManagedProcess } from './process.js';

const run = promisify(execFile);

/** tools/ferretdb: the Go launcher's sources (this file lives in tools/src or tools/dist). */
export const launcherDir = fileURLToPath(new URL('../ferretdb/', import.meta.url));
const binDir = join(launcherDir, 'bin');
const binary = join(binDir, 'ferretdb-launcher');
const hashFile = join(binDir, 'source-hash');
const sources = ['main.go', 'go.mod', 'go.sum'];

/**
 * Source edits applied to the FerretDB module as downloaded from the Go module proxy, before building.
 *
 * FerretDB 1.24.2's SQLite backend creates a unique index on `_ferretdb_sjson->"_id"` for every
 * collection but filters `_id` with the expression `_ferretdb_sjson->'$._id'`. SQLite matches index
 * expressions by their text, so it never uses that index: every `_id` lookup, update and delete scans the
 * whole collection (EXPLAIN QUERY PLAN: `SCAN` instead of `SEARCH … USING INDEX`; ~27 ms instead of
 * ~1 ms per lookup at 10,000 messages). `->'_id'` is the same JSON path for SQLite and is the index's
 * expression. MongoDB always answers `_id` from its index; this keeps the stand-in close to it.
 */
const PATCHES: readonly { file: string; from: string; to: string }[] = [
  {
    file: 'vendor/github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata/metadata.go',
    from: `IDColumn = DefaultColumn + "->'$._id'"`,
    to: `IDColumn = DefaultColumn + "->'_id'"`,
  },
  /*
   * An `update` command with many statements (what `bulkWrite` sends) deadlocked the whole server:
   * internal/handler/msg_update.go closes each statement's query iterator with a `defer` inside the loop,
   * so every statement keeps its SQLite connection (an open `sql.Rows`) until the command returns, and the
   * pool holds 100 connections. The 100th statement waits for a connection forever; meanwhile an insert
   * takes the metadata registry's lock and waits for a connection too, and every other command waits for
   * that lock (goroutine dump in server/src/repository/README.md, "FerretDB"). Closing each statement's
   * iterator once its update is done bounds a command to two connections, as on MongoDB.
   */
  {
    file: 'vendor/github.com/FerretDB/FerretDB/internal/handler/msg_update.go',
    from: '\t\tcloser := iterator.NewMultiCloser()\n\t\tdefer closer.Close()\n',
    to: '\t\tcloser := iterator.NewMultiCloser()\n',
  },
  {
    file: 'vendor/github.com/FerretDB/FerretDB/internal/handler/msg_update.go',
    from: '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n',
    to: '\t\tresult, err := common.UpdateDocument(ctx, c, "update", iter, &u)\n\t\tcloser.Close()\n',
  },
  /*
   * Each update still reads through one connection while it writes through another, so 50 concurrent
   * updates could again fill a pool of 100 with readers waiting for writers. The drivers' own pools bound
   * how many commands are in flight (100 per client); SQLite connections are cheap.
   */
  {
    file: 'vendor/github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata/pool/opendb.go',
    from: '\tdb.SetMaxOpenConns(100)\n',
    to: '\tdb.SetMaxOpenConns(1000)\n',
  },
];

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of sources) hash.update(file).update(await readFile(join(launcherDir, file)));
  hash.update(JSON.stringify(PATCHES));
  return hash.digest('hex');
}

function goCommand(): string {
  // Go lives in /usr/local/go on these machines and is not always on a non-login shell's PATH.
  return existsSync('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : 'go';
}

/**
 * Returns the launcher binary, building it when it is missing or its sources changed since the last build.
 * `FERRETDB_BIN` points at a prebuilt binary instead.
 */
export async function ensureFerretDbBinary(): Promise<string> {
  const override = process.env['FERRETDB_BIN'];
  if (override) return override;
  const wanted = await sourceHash();
  if (existsSync(binary) && existsSync(hashFile) && (await readFile(hashFile, 'utf8')).trim() === wanted) {
    return binary;
  }
  await mkdir(binDir, { recursive: true });
  // Build into a unique temporary name and rename, so concurrent callers never run a half-written file.
  const tmp = `${binary}.${String(process.pid)}.tmp`;
  // The module cache is read-only: vendor the modules into a scratch copy of the launcher and patch there.
  const work = join(binDir, `build.${String(process.pid)}`);
  const env = { ...process.env, CGO_ENABLED: '0', GOFLAGS: '-buildvcs=false' };
  try {
    await rm(work, { recursive: true, force: true });
    await mkdir(work, { recursive: true });
    for (const file of sources) await writeFile(join(work, file), await readFile(join(launcherDir, file)));
    await run(goCommand(), ['mod', 'vendor'], { cwd: work, env, maxBuffer: 16 * 1024 * 1024 });
    for (const patch of PATCHES) {
      const path = join(work, patch.file);
      const text = await readFile(path, 'utf8');
      if (!text.includes(patch.from)) throw new Error(`${patch.file} no longer contains ${patch.from}`);
      await writeFile(path, text.replace(patch.from, patch.to));
    }
    await run(goCommand(), ['build', '-mod=vendor', '-trimpath', '-o', tmp, '.'], {
      cwd: work,
      env,
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    await rm(tmp, { force: true });
    const detail = err instanceof Error ? err.message : String(err);
    throw new Error(`building the FerretDB launcher in ${launcherDir} failed:\n${detail}`, { cause: err });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await rename(tmp, binary);
  await writeFile(hashFile, wanted + '\n');
  return binary;
}

export interface FerretDbInstance {
  /** mongodb://host:port/ — append a database name. */
  readonly uri: string;
  readonly port: number;
  readonly process: ManagedProcess;
  stop(): Promise<void>;
}

export interface FerretDbOptions {
  dataDir: string;
  host?: string;
  /** 0 or absent: a free port. */
  port?: number;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
}

/** Starts FerretDB (SQLite backend) and resolves once it accepts connections. */
export async function startFerretDb(options: FerretDbOptions): Promise<FerretDbInstance> {
  const bin = await ensureFerretDbBinary();
  const host = options.host ?? '127.0.0.1';
  const port = options.port || (await getFreePort(host));
  const { proc, match } = await spawnUntilReady(
    bin,
    [
      `-listen-addr=${host}:${String(port)}`,
      `-data-dir=${options.dataDir}`,
      `-log-level=${options.logLevel ?? 'error'}`,
    ],
    { name: 'FerretDB', readyWhen: /READY (mongodb:\/\/\S+)/ },
  );
  return {
    uri: match[1] ?? `mongodb://${host}:${String(port)}/`,
    port,
    process: proc,
    async stop() {
      await proc.stop();
    },
  };
}
