import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import mongoose, { type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { BlobExistsError, type BlobStore } from '../../src/infra/blob-store.js';
import { DiskBlobStore } from '../../src/infra/blob-store-disk.js';
import { GridFsBlobStore } from '../../src/infra/blob-store-gridfs.js';

/** One contract, run against every BlobStore implementation. */
function blobStoreContract(
  name: string,
  open: () => Promise<{ store: BlobStore; close: () => Promise<void> }>,
) {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    let close: () => Promise<void>;
    // Larger than one GridFS chunk (255 KiB), so ranges cross chunk boundaries.
    const big = randomBytes(600_000);

    beforeAll(async () => {
      ({ store, close } = await open());
    });
    afterAll(async () => {
      await close();
    });

    it('stores a buffer and gives it back with its size', async () => {
      expect(await store.put('buf-1', big)).toBe(big.length);
      const blob = await store.get('buf-1');
      expect(blob?.size).toBe(big.length);
      expect((await buffer(blob!.stream)).equals(big)).toBe(true);
    });

    it('stores a stream', async () => {
      const parts = [Buffer.from('你好，'), Buffer.from('客服'), Buffer.from('!')];
      expect(await store.put('stream-1', Readable.from(parts))).toBe(Buffer.concat(parts).length);
      const blob = await store.get('stream-1');
      expect((await buffer(blob!.stream)).toString()).toBe('你好，客服!');
    });

    it('reads an inclusive byte range across chunk boundaries', async () => {
      const blob = await store.get('buf-1', { start: 260_000, end: 530_000 });
      expect(blob?.size).toBe(big.length);
      expect((await buffer(blob!.stream)).equals(big.subarray(260_000, 530_001))).toBe(true);
      const tail = await store.get('buf-1', { start: big.length - 10, end: big.length - 1 });
      expect((await buffer(tail!.stream)).equals(big.subarray(big.length - 10))).toBe(true);
    });

    it('answers null for an unknown key', async () => {
      expect(await store.get('missing-key')).toBeNull();
    });

    it('refuses to overwrite a key and keeps the first blob', async () => {
      await store.put('once', Buffer.from('first'));
      await expect(store.put('once', Buffer.from('second'))).rejects.toBeInstanceOf(BlobExistsError);
      expect((await buffer((await store.get('once'))!.stream)).toString()).toBe('first');
    });

    it('deletes, and ignores deleting an unknown key', async () => {
      await store.put('gone', Buffer.from('x'));
      await store.delete('gone');
      expect(await store.get('gone')).toBeNull();
      await expect(store.delete('gone')).resolves.toBeUndefined();
    });

    it.each(['', '../escape', 'a/b', '.hidden', 'spaced key', 'x'.repeat(129)])(
      'refuses the key %j',
      async (key) => {
        await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid blob key/);
        await expect(store.get(key)).rejects.toThrow(/Invalid blob key/);
        await expect(store.delete(key)).rejects.toThrow(/Invalid blob key/);
      },
    );
  });
}

let gridConn: Connection | undefined;
blobStoreContract('GridFS', async () => {
  gridConn = await mongoose.createConnection(testMongoUri('blob_gridfs')).asPromise();
  const conn = gridConn;
  return { store: new GridFsBlobStore(conn), close: () => conn.close() };
});

blobStoreContract('disk', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'kefu-blobs-'));
  return {
    store: new DiskBlobStore(join(dir, 'uploads')),
    close: () => rm(dir, { recursive: true, force: true }),
  };
});

describe('GridFsBlobStore', () => {
  it('writes a standard GridFS bucket that the driver reads by name', async () => {
    const conn = await mongoose.createConnection(testMongoUri('blob_interop')).asPromise();
    try {
      const data = randomBytes(300_000);
      await new GridFsBlobStore(conn).put('interop-1', data);
      const bucket = new mongoose.mongo.GridFSBucket(conn.db!, { bucketName: 'uploads' });
      expect((await buffer(bucket.openDownloadStreamByName('interop-1'))).equals(data)).toBe(true);
    } finally {
      await conn.close();
    }
  });
});
