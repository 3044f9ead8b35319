// Uploads with progress (POST /api/v1/uploads, multipart): shared by the widget panel and the console.
import { HttpError, httpError, type UploadResult } from '@kefu/sdk-core';

export { HttpError, imageContent, type UploadResult } from '@kefu/sdk-core';

/** XMLHttpRequest, not fetch: fetch reports no upload progress. */
export function uploadWithProgress(
  url: string,
  token: string,
  file: Blob,
  onProgress: (fraction: number) => void,
  fileName = 'image.jpg',
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
        const body = JSON.parse(xhr.responseText) as unknown;
        if (xhr.status >= 200 && xhr.status < 300) resolve(body as UploadResult);
        else reject(httpError(xhr.status, body));
      } catch {
        reject(new HttpError(xhr.status, `HTTP ${String(xhr.status)}`));
      }
    };
    xhr.onerror = () => {
      reject(new Error('network error'));
    };
    const form = new FormData();
    form.append('file', file, fileName);
    xhr.send(form);
  });
}
