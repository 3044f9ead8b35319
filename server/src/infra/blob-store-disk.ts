import { createReadStream, createWriteStream } from 'node:fs';
import { link, mkdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BlobExistsError, checkBlobKey, type Blob, type BlobStore, type ByteRange } from './blob-store.js';

function errorCode(err: unknown): unknown {
  return typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
}

/**
 * Blobs as files under one directory, spread over 256 subdirectories by the key's last two characters
 * (ULIDs end in random characters). A blob is written to a temporary name and then hard-linked to its
 * key, so readers never see a half-written file and two writers of one key cannot both succeed.
 */
export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk';

  constructor(private readonly dir: string) {}

  private pathOf(key: string): { folder: string; file: string } {
    checkBlobKey(key);
    const folder = join(this.dir, key.slice(-2).toLowerCase());
    return { folder, file: join(folder, key) };
  }

  async put(key: string, data: Buffer | Readable): Promise<number> {
    const { folder, file } = this.pathOf(key);
    await mkdir(folder, { recursive: true });
    const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await pipeline(
        Buffer.isBuffer(data) ? Readable.from([data]) : data,
        createWriteStream(temp, { flags: 'wx' }),
      );
      try {
        await link(temp, file);
      } catch (err) {
        if (errorCode(err) === 'EEXIST') throw new BlobExistsError(key);
        throw err;
      }
      return (await stat(file)).size;
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(key: string, range?: ByteRange): Promise<Blob | null> {
    const { file } = this.pathOf(key);
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (err) {
      if (errorCode(err) === 'ENOENT') return null;
      throw err;
    }
    return { size, stream: createReadStream(file, range ? { start: range.start, end: range.end } : {}) };
  }

  async delete(key: string): Promise<void> {
    try {
      await unlink(this.pathOf(key).file);
    } catch (err) {
      if (errorCode(err) !== 'ENOENT') throw err;
    }
  }
}
