// Displayable URLs of uploads: image, audio and download elements cannot send the bearer token, so they
// get signed URLs (server/README.md "Uploads"), cached for an hour (they are valid for a day).
import type { UploadResult } from './cards.js';

const KEEP_MS = 3_600_000;

export class SignedUrls {
  private readonly cache = new Map<string, { url: string; thumb: string; until: number }>();

  constructor(
    private readonly server: string,
    /** `GET /api/v1/uploads/:id/signed` with the session's token. */
    private readonly fetchSigned: (
      uploadId: string,
    ) => Promise<{ signed_url: string; signed_thumbnail_url?: string }>,
  ) {}

  remember(up: Pick<UploadResult, 'upload_id' | 'signed_url' | 'signed_thumbnail_url'>): void {
    const thumb = up.signed_thumbnail_url ?? up.signed_url;
    this.cache.set(up.upload_id, { url: up.signed_url, thumb, until: Date.now() + KEEP_MS });
  }

  async get(uploadId: string, thumbnail: boolean): Promise<string> {
    let s = this.cache.get(uploadId);
    if (!s || s.until < Date.now()) {
      const body = await this.fetchSigned(uploadId);
      this.remember({ upload_id: uploadId, ...body });
      s = this.cache.get(uploadId);
    }
    const path = thumbnail ? (s?.thumb ?? '') : (s?.url ?? '');
    return /^https?:/.test(path) ? path : `${this.server}${path}`;
  }
}
