import type { IncomingMessage } from 'node:http';
import { Busboy, type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import { AppError, ValidationError } from '../../errors.js';

export interface FilePart {
  fileName: string;
  data: Buffer;
}

/** Room for the multipart framing and a few small fields around the file. */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads a multipart/form-data body with exactly one file part named `file` (what browsers' FormData
 * and `wx.uploadFile` send). At most `maxBytes` of the file are ever held: one byte more and reading
 * stops with `tooLarge()`; the rest of the body is never read (the caller closes the connection).
 * Other text fields are allowed and ignored (wx.uploadFile's `formData`).
 */
export function readSingleFile(
  req: IncomingMessage,
  maxBytes: number,
  tooLarge: () => Error,
): Promise<FilePart> {
  const contentType = req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    return Promise.reject(
      new AppError('unsupported_media_type', 'The body must be multipart/form-data with one "file" part'),
    );
  }
  let parser: BusboyInstance;
  try {
    parser = Busboy({
      headers: req.headers as BusboyHeaders,
      limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 4096, headerPairs: 20 },
    });
  } catch (err) {
    return Promise.reject(
      new ValidationError(`Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`),
    );
  }

  return new Promise((resolve, reject) => {
    let settled = false;
    let file: FilePart | undefined;
    let reading = 0;
    let finished = false;
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      reject(err);
    };
    const done = (): void => {
      if (settled || !finished || reading > 0) return;
      settled = true;
      if (file) resolve(file);
      else reject(new ValidationError('The body has no file part named "file"', { reason: 'no_file' }));
    };

    parser.on('file', (field, stream, fileName) => {
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
        if (!stream.truncated) file = { fileName, data: Buffer.concat(chunks) };
        done();
      });
    });
    parser.on('filesLimit', () => {
      fail(new ValidationError('Send exactly one file per upload', { reason: 'too_many_files' }));
    });
    parser.on('fieldsLimit', () => {
      fail(new ValidationError('Too many form fields'));
    });
    parser.on('error', (err: unknown) => {
      fail(
        new ValidationError(`Malformed multipart body: ${err instanceof Error ? err.message : String(err)}`),
      );
    });
    parser.on('finish', () => {
      finished = true;
      done();
    });
    req.on('error', (err) => {
      fail(new ValidationError(`The upload was interrupted: ${err.message}`));
    });
    req.pipe(parser);
  });
}
