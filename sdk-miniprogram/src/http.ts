// sdk-core's Http and the upload function over the platform's request/uploadFile. Bodies stay text: the
// platform's JSON parsing is turned off so sdk-core reads the server's answers the same way everywhere.
import type { Http, UploadKind, UploadResult } from '@kefu/sdk-core';
import { HttpError, httpError } from '@kefu/sdk-core';
import { settle, type MiniProgramApi, type UploadTaskLike } from './api.js';

export function createMiniProgramHttp(api: MiniProgramApi, timeoutMs = 15_000): Http {
  return (req) =>
    new Promise((resolve, reject) => {
      settle(
        api.request({
          url: req.url,
          method: req.method,
          header: req.headers,
          ...(req.body === undefined ? {} : { data: req.body }),
          dataType: 'text',
          responseType: 'text',
          timeout: timeoutMs,
          success: (res) => {
            const body = typeof res.data === 'string' ? res.data : JSON.stringify(res.data ?? '');
            resolve({ status: res.statusCode, body });
          },
          fail: (e) => {
            reject(new Error(`${req.method} ${req.url} failed: ${e.errMsg ?? 'request failed'}`));
          },
        }),
      );
    });
}

export interface UploadRequest {
  url: string;
  token: string;
  kind: UploadKind;
  /** A local file path (tempFilePath from chooseMedia, chooseMessageFile or the recorder). */
  file: string;
  /** The file's own name (chooseMessageFile's `name`; the temp path has another). */
  name?: string;
  onProgress: (fraction: number) => void;
}

/** A file's own name as a message shows it: no folders, no control characters, at most 200 characters. */
function cleanName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  // Control characters (U+0000–U+001F, U+007F) dropped one by one: no regular expression needed.
  let printable = '';
  for (let i = 0; i < base.length; i++) {
    const code = base.charCodeAt(i);
    if (code >= 0x20 && code !== 0x7f) printable += base.charAt(i);
  }
  return printable.trim().slice(0, 200);
}

/**
 * Multipart upload of a local file with progress (the server's `file` field). wx.uploadFile names the
 * part after the temp path (`tmp_…pdf`), so a file's own name also goes as the `name` form field, and the
 * answer carries it (the message shows what the customer picked).
 */
export function createMiniProgramUpload(
  api: MiniProgramApi,
  timeoutMs = 120_000,
): (request: UploadRequest) => Promise<UploadResult> {
  return (req) =>
    new Promise((resolve, reject) => {
      const name = req.name ? cleanName(req.name) : '';
      const result = api.uploadFile({
        url: req.url,
        filePath: req.file,
        name: 'file',
        header: { authorization: `Bearer ${req.token}` },
        ...(name ? { formData: { name } } : {}),
        timeout: timeoutMs,
        success: (res) => {
          let body: unknown;
          try {
            body = JSON.parse(typeof res.data === 'string' ? res.data : '');
          } catch {
            reject(new HttpError(res.statusCode, `HTTP ${String(res.statusCode)}`));
            return;
          }
          if (res.statusCode >= 200 && res.statusCode < 300)
            resolve(name ? { ...(body as UploadResult), name } : (body as UploadResult));
          else reject(httpError(res.statusCode, body));
        },
        fail: (e) => {
          reject(new Error(e.errMsg ?? 'upload failed'));
        },
      });
      settle(result);
      const task = result as UploadTaskLike | undefined;
      const listen = task?.onProgressUpdate?.bind(task) ?? task?.progress?.bind(task);
      listen?.((p) => {
        req.onProgress(Math.max(0, Math.min(1, p.progress / 100)));
      });
    });
}
