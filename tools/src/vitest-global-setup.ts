import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startFerretDb } from './ferretdb.js';
import './testing.js';

/** Vitest global setup: one FerretDB for the run (each test file uses its own database). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kefu-test-ferretdb-'));
  const db = await startFerretDb({ dataDir });
  let stopping = false;
  // Every test after this would fail to connect: say why once, with what FerretDB printed.
  db.process.child.once('exit', (code, signal) => {
    if (stopping) return;
    process.stderr.write(
      `FerretDB exited during the run (code ${String(code)}, signal ${String(signal)}):\n${db.process.output().slice(-8000)}\n`,
    );
  });
  project.provide('mongodbUri', db.uri);
  return async () => {
    stopping = true;
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
