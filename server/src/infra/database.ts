import mongoose, { type Connection } from 'mongoose';

/** Database used when the connection string names none. */
export const DEFAULT_DB_NAME = 'kefu';

/** The database path segment of a MongoDB URI (handles multi-host and +srv forms that URL cannot parse). */
export function databaseNameOf(uri: string): string | undefined {
  const match = /^mongodb(?:\+srv)?:\/\/[^/?]+\/([^?]*)/.exec(uri);
  const name = match?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

/** Opens a dedicated Mongoose connection (not the global one, so several servers can share a process). */
export async function connectDatabase(
  uri: string,
  options: { monitorCommands?: boolean } = {},
): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    ...(databaseNameOf(uri) ? {} : { dbName: DEFAULT_DB_NAME }),
    serverSelectionTimeoutMS: 10_000,
    // Command events for db-command-metrics.ts (counted only when asked: it costs CPU per command).
    monitorCommands: options.monitorCommands === true,
  });
  await conn.asPromise();
  return conn;
}

/** Round trip to the database; rejects when it does not answer within `timeoutMs`. */
export async function pingDatabase(conn: Connection, timeoutMs = 2_000): Promise<void> {
  const db = conn.db;
  if (!db || conn.readyState !== mongoose.ConnectionStates.connected) throw new Error('not connected');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`no answer within ${String(timeoutMs)} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([db.command({ ping: 1 }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
