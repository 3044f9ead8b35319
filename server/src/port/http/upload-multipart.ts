import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { AppError, ValidationError } from '../../errors.js';
import {
  MAX_PART_HEADER_BYTES,
  MAX_PART_HEADER_LINES,
  boundaryOf,
  partHeaderGuard,
} from './multipart-guard.js';

export interface FilePart {
  /** The `name` field when sent (WeChat's wx.uploadFile names the part after a temp path), else the part's. */
  fileName: string;
  data: Buffer;
}

export interface ReadFileOptions {
  /** No body byte for this long: 408 (a slow or stalled client must not hold a request forever). */
  idleTimeoutMs?: number;
}

/** Room for the multipart framing and a few small fields around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;
export const DEFAULT_UPLOAD_IDLE_TIMEOUT_MS = 30_000;
const MAX_FIELDS = 20;

const malformed = (err: unknown): ValidationError =>
  new ValidationError(`Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`, {
    reason: 'malformed',
  });

/** Busboy's (Dicer's) stream error when the body ends before its closing boundary. */
const truncated = (): ValidationError =>
  new ValidationError(
    'The upload ended before the multipart body was complete (truncated, or a boundary that does not match)',
    { reason: 'truncated' },
  );

/**
 * Reads a multipart/form-data body with exactly one file part named `file` (what browsers' FormData
 * and `wx.uploadFile` send). At most `maxBytes` of the file are ever held: one byte more and reading
 * stops with `tooLarge()`. Other text fields are allowed and ignored (wx.uploadFile's `formData`).
 * Every parser, stream, client or timing problem rejects with an AppError (4xx) and settles exactly
 * once; when the body was not read to its end the error asks for `Connection: close`, so the unread
 * rest is never parsed as another request nor keeps the socket.
 */
export function readSingleFile(
  req: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
  options: ReadFileOptions = {},
): Promise<FilePart> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    return Promise.reject(
      new AppError('unsupported_media_type', 'The body must be multipart/form-data with one "file" part'),
    );
  }
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_UPLOAD_IDLE_TIMEOUT_MS;
  let parser: BusboyInstance;
  let guard: ReturnType<typeof partHeaderGuard>;
  try {
    const boundary = boundaryOf(contentType);
    guard = partHeaderGuard(boundary);
    // Busboy gets the validated boundary only, so it cannot read another one than we checked.
    parser = Busboy({
      headers: { 'content-type': `multipart/form-data; boundary="${boundary}"` },
      limits: {
        files: 1,
        fileSize: maxBytes,
        fields: MAX_FIELDS,
        fieldSize: 4096,
        parts: MAX_FIELDS + 1,
        // Never binding: partHeaderGuard refuses larger header blocks (busboy would silently cut them).
        headerPairs: MAX_PART_HEADER_LINES,
        headerSize: MAX_PART_HEADER_BYTES + 1024,
      },
    });
  } catch (err) {
    return Promise.reject(err instanceof AppError ? err : malformed(err));
  }

  return new Promise((resolve, reject) => {
    let settled = false;
    let file: FilePart | undefined;
    let displayName: string | undefined;
    let reading = 0;
    let finished = false;
    let idle: NodeJS.Timeout | undefined;

    const settle = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(idle);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onAbort);
      req.off('close', onClose);
      return true;
    };
    const fail = (err: Error): void => {
      if (!settle()) return;
      if (!req.complete) {
        // Stop reading; the error handler copies `headers` onto the answer (as for http-errors).
        req.pause();
        Object.assign(err, { headers: { Connection: 'close' } });
      }
      reject(err);
    };
    const done = (): void => {
      if (settled || !finished || reading > 0) return;
      settle();
      if (file) resolve(displayName ? { ...file, fileName: displayName } : file);
      else reject(new ValidationError('The body has no file part named "file"', { reason: 'no_file' }));
    };
    // Re-armed on every chunk; after the body ended it guards against a parser that never finishes.
    const armIdle = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        if (req.complete) fail(malformed('the parser did not finish'));
        else {
          const seconds = String(Math.round(idleTimeoutMs / 1000));
          fail(
            new AppError('request_timeout', `No upload data arrived for ${seconds} s`, { reason: 'idle' }),
          );
        }
      }, idleTimeoutMs);
    };
    const resume = (): void => {
      if (settled) return;
      armIdle();
      req.resume();
    };
    function onData(chunk: Buffer): void {
      armIdle();
      const problem = guard(chunk);
      if (problem) {
        fail(problem);
        return;
      }
      try {
        if (!parser.write(chunk)) {
          // Backpressure is ours, not the client's: the idle clock waits for the parser too.
          clearTimeout(idle);
          req.pause();
          parser.once('drain', resume);
        }
      } catch (err) {
        fail(malformed(err));
      }
    }
    function onEnd(): void {
      armIdle();
      try {
        parser.end();
      } catch (err) {
        fail(malformed(err));
      }
    }
    function onAbort(): void {
      fail(
        new ValidationError('The client stopped sending before the upload was complete', {
          reason: 'aborted',
        }),
      );
    }
    function onClose(): void {
      if (!req.complete) onAbort();
    }

    parser.on('field', (field: string, value: string) => {
      const name = value.trim();
      if (field === 'name' && name && name.length <= 255) displayName = name;
    });
    parser.on('file', (field, stream, fileName) => {
      // Busboy emits a part's "terminated early" error on this stream; unhandled, it ends the process.
      let broken = false;
      stream.on('error', () => {
        broken = true;
        fail(truncated());
      });
      if (field !== 'file') {
        stream.resume();
        fail(new ValidationError(`Unexpected file part "${field}": send one part named "file"`));
        return;
      }
      reading += 1;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => {
        fail(tooLarge());
      });
      stream.on('end', () => {
        reading -= 1;
        if (!stream.truncated && !broken) file = { fileName, data: Buffer.concat(chunks) };
        done();
      });
    });
    parser.on('filesLimit', () => {
      fail(new ValidationError('Send exactly one file per upload', { reason: 'too_many_files' }));
    });
    parser.on('fieldsLimit', () => {
      fail(new ValidationError('Too many form fields', { reason: 'too_many_parts' }));
    });
    parser.on('partsLimit', () => {
      fail(new ValidationError('Too many parts in the multipart body', { reason: 'too_many_parts' }));
    });
    parser.on('error', (err: unknown) => {
      fail(err instanceof Error && /unexpected end/i.test(err.message) ? truncated() : malformed(err));
    });
    parser.on('finish', () => {
      finished = true;
      done();
    });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onAbort);
    req.on('close', onClose);
    armIdle();
  });
}
