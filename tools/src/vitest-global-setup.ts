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
  project.provide('mongodbUri', db.uri);
  return async () => {
    await db.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
