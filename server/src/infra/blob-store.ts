import type { Readable } from 'node:stream';

/** Inclusive byte range, as in an HTTP `Range: bytes=start-end`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface Blob {
  stream: Readable;
  /** Total size of the stored blob (not of the range). */
  size: number;
}

/**
 * Where upload bytes live (GridFS or a directory). Keys are chosen by the server: letters, digits,
 * `.`, `_` and `-`, at most 128 characters.
 */
export interface BlobStore {
  readonly kind: 'gridfs' | 'disk';
  /** Stores the bytes under `key`; a key already present is an error. Returns the stored size. */
  put(key: string, data: Buffer | Readable): Promise<number>;
  /** The blob as a stream (the whole of it or `range`), or null when the key is unknown. */
  get(key: string, range?: ByteRange): Promise<Blob | null>;
  /** Removes the blob; unknown keys are ignored. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9._-]{1,128}$/;

/** Refuses keys that could escape a directory or a bucket's naming (`..`, `/`, control characters). */
export function checkBlobKey(key: string): void {
  if (!KEY.test(key) || key.startsWith('.')) throw new Error(`Invalid blob key ${JSON.stringify(key)}`);
}

export class BlobExistsError extends Error {
  override readonly name = 'BlobExistsError';
  constructor(key: string) {
    super(`A blob with key ${key} exists already`);
  }
}
