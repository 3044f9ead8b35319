import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { NotFoundError } from '../../errors.js';

export interface StaticFile {
  body: Buffer;
  etag: string;
}

/**
 * Reads built files from one directory, once, with a content ETag. Callers pass only names from their
 * own allow-list: no path from a request ever reaches the file system.
 */
export function staticFiles(
  dir: string,
  notBuilt: (name: string) => string,
): (name: string) => Promise<StaticFile> {
  const cache = new Map<string, StaticFile>();
  return async (name) => {
    const hit = cache.get(name);
    if (hit) return hit;
    let body: Buffer;
    try {
      body = await readFile(`${dir.replace(/\/?$/, '/')}${name}`);
    } catch {
      throw new NotFoundError(notBuilt(name));
    }
    const entry = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` };
    cache.set(name, entry);
    return entry;
  };
}
