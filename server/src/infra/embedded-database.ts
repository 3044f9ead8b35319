import { join, resolve } from 'node:path';
import type { Logger } from '../log.js';

export interface EmbeddedDatabase {
  uri: string;
  stop(): Promise<void>;
}

/**
 * Starts FerretDB (MongoDB wire protocol on SQLite) for the embedded mode: MongoDB itself cannot be
 * installed on development machines. The launcher lives in the dev-only tools package, hence the
 * dynamic import: production (MONGODB_URI set) never loads it.
 */
export async function startEmbeddedDatabase(dataDir: string, logger: Logger): Promise<EmbeddedDatabase> {
  const { startFerretDb } = await import('@kefu/tools/ferretdb');
  const dir = resolve(join(dataDir, 'ferretdb'));
  const db = await startFerretDb({ dataDir: dir });
  logger.info({ uri: db.uri, dataDir: dir }, 'embedded FerretDB started');
  return { uri: db.uri, stop: () => db.stop() };
}
