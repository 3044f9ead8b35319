// Uploads with progress (POST /api/v1/uploads, multipart): shared by the widget panel and the console.
import type { kefu } from '@kefu/proto';

/** An HTTP answer that was not 2xx, with the server's error message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the upload endpoint answers (server/README.md). */
export interface UploadResult {
  upload_id: string;
  url: string;
  thumbnail_url?: string;
  signed_url: string;
  signed_thumbnail_url?: string;
  width?: number;
  height?: number;
  size_bytes: number;
  mime_type: string;
}

/** XMLHttpRequest, not fetch: fetch reports no upload progress. */
export function uploadWithProgress(
  url: string,
  token: string,
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as UploadResult & { error?: string };
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else reject(new HttpError(xhr.status, body.error ?? `HTTP ${String(xhr.status)}`));
      } catch {
        reject(new HttpError(xhr.status, `HTTP ${String(xhr.status)}`));
      }
    };
    xhr.onerror = () => {
      reject(new Error('network error'));
    };
    const form = new FormData();
    form.append('file', file, 'image.jpg');
    xhr.send(form);
  });
}

/** The message content that shows an uploaded image (the upload's id, URLs and measurements). */
export function imageContent(up: UploadResult): kefu.v1.IContent {
  return {
    image: {
      uploadId: up.upload_id,
      url: up.url,
      thumbnailUrl: up.thumbnail_url ?? '',
      width: up.width ?? 0,
      height: up.height ?? 0,
      sizeBytes: up.size_bytes,
      mimeType: up.mime_type,
    },
  };
}
