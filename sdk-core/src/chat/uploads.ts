// What customer UIs say about uploads: a refusal of the server by its error code (never its English
// message), file sizes, and which failures are worth a retry.
import { FILE_TYPES } from '@kefu/proto';
import { HttpError } from './cards.js';
import type { PendingItem } from './state.js';
import { fmt, type CustomerStrings } from './strings.js';

export type UploadErrorCode =
  | 'unsupported_type'
  | 'too_large'
  | 'damaged'
  | 'empty'
  | 'too_short'
  | 'too_long'
  | 'unavailable'
  | 'rate_limited'
  | 'network'
  | 'failed';

/** The server's default limits (UPLOAD_MAX_*_BYTES); the server's answer is what counts. */
export const UPLOAD_LIMITS = { image: 10 * 1024 * 1024, voice: 5 * 1024 * 1024, file: 20 * 1024 * 1024 };

/** Documents the server accepts as `kind=file` by default (server/README.md "Uploads"), for file pickers. */
export const FILE_EXTENSIONS = FILE_TYPES;

/** Why an upload failed, from the server's `{error: {code, details.reason}}` or the network. */
export function uploadErrorCode(err: unknown): UploadErrorCode {
  if (!(err instanceof HttpError)) return 'network';
  switch (err.code) {
    case 'unsupported_media_type':
      return 'unsupported_type';
    case 'payload_too_large':
      return 'too_large';
    case 'rate_limited':
      return 'rate_limited';
    case 'unavailable':
      return 'unavailable';
    case 'bad_request': {
      const r = err.reason;
      if (r === 'too_short' || r === 'too_long' || r === 'empty') return r;
      if (r === 'damaged' || r === 'no_audio') return 'damaged';
      return 'failed';
    }
    default:
      return err.status === 413 ? 'too_large' : err.status === 415 ? 'unsupported_type' : 'failed';
  }
}

/** Whether trying the same upload again may work (not for a refused type, size or recording). */
export function isRetryable(code: UploadErrorCode | undefined): boolean {
  return (
    code === undefined ||
    code === 'network' ||
    code === 'unavailable' ||
    code === 'rate_limited' ||
    code === 'failed'
  );
}

/** The status line under a message on its way: upload progress, sending, or why it failed. */
export function pendingStatus(
  p: Pick<PendingItem, 'state' | 'progress' | 'error'>,
  t: Pick<CustomerStrings, 'uploading' | 'uploadErrors' | 'failed' | 'sending'>,
): string {
  if (p.state === 'uploading') return fmt(t.uploading, { p: Math.round((p.progress ?? 0) * 100) });
  if (p.state === 'failed') return p.error ? t.uploadErrors[p.error] : t.failed;
  return t.sending;
}

/** "532 B", "12.3 KB", "1.2 MB". */
export function formatFileSize(bytes: number): string {
  const n = Math.max(0, bytes || 0);
  if (n < 1024) return `${String(n)} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
