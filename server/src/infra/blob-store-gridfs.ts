import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import mongoose, { type Connection } from 'mongoose';
import { isDuplicateKey } from '../repository/errors.js';
import { BlobExistsError, checkBlobKey, type Blob, type BlobStore, type ByteRange } from './blob-store.js';

type Bucket = InstanceType<typeof mongoose.mongo.GridFSBucket>;

/** GridFS takes any `_id`; the driver's types say ObjectId only. */
function fileId(key: string): mongoose.mongo.ObjectId {
  return key as unknown as mongoose.mongo.ObjectId;
}

/**
 * Blobs in a standard GridFS bucket (`<bucket>.files` / `<bucket>.chunks`); the key is the file's `_id`
 * and its filename, so `mongofiles` and any driver can read them. Fast on MongoDB; on FerretDB 1.24
 * (SQLite) every chunk read scans the chunks collection, which is why the embedded mode defaults to disk.
 */
export class GridFsBlobStore implements BlobStore {
  readonly kind = 'gridfs';
  private readonly bucket: Bucket;
  private readonly files: mongoose.mongo.Collection<{ _id: string; length: number }>;

  constructor(conn: Connection, bucketName = 'uploads') {
    const db = conn.db;
    if (!db) throw new Error('GridFsBlobStore needs a connected database');
    this.bucket = new mongoose.mongo.GridFSBucket(db, { bucketName });
    this.files = db.collection(`${bucketName}.files`);
  }

  async put(key: string, data: Buffer | Readable): Promise<number> {
    checkBlobKey(key);
    // GridFS files have no unique filename: the `_id` (the key) makes a second put of one key fail.
    if (await this.files.findOne({ _id: key }, { projection: { _id: 1 } })) throw new BlobExistsError(key);
    const upload = this.bucket.openUploadStreamWithId(fileId(key), key);
    try {
      await pipeline(Buffer.isBuffer(data) ? Readable.from([data]) : data, upload);
    } catch (err) {
      if (isDuplicateKey(err)) throw new BlobExistsError(key);
      await this.bucket.delete(fileId(key)).catch(() => undefined);
      throw err;
    }
    return upload.length;
  }

  async get(key: string, range?: ByteRange): Promise<Blob | null> {
    checkBlobKey(key);
    const file = await this.files.findOne({ _id: key }, { projection: { length: 1 } });
    if (!file) return null;
    const stream = this.bucket.openDownloadStream(
      fileId(key),
      // GridFS `end` is exclusive.
      range ? { start: range.start, end: range.end + 1 } : {},
    );
    return { size: file.length, stream };
  }

  async delete(key: string): Promise<void> {
    checkBlobKey(key);
    try {
      await this.bucket.delete(fileId(key));
    } catch (err) {
      // The driver throws when no file has that id; deleting an unknown key is not an error here.
      if (!(err instanceof mongoose.mongo.MongoRuntimeError) || !/not found/i.test(err.message)) throw err;
    }
  }
}
