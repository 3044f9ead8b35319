// Who may upload and download on both blob stores (upload-routes-env.ts): participants only, signed URLs
// without a bearer (bad, expired and tampered ones refused), fresh signed URLs for history.
import { describe, expect, it } from 'vitest';
import { UploadUrlSigner } from '../../src/service/uploads/url-signer.js';
import { png } from './fixtures.js';
import { STORES, useUploadRoutes, type ErrorBody, type UploadBody } from './upload-routes-env.js';

for (const store of STORES) {
  describe(`upload routes (${store} store)`, () => {
    const t = useUploadRoutes(store);
    const { upload, get, expectRefused } = t;

    it('keeps non-participants out of uploading and downloading', async () => {
      await expectRefused(await upload(await png(), { token: t.carol }), 403);
      const body = (await (await upload(await png())).json()) as UploadBody;
      expect((await get(body.url, t.carol)).status).toBe(403);
      expect((await get(body.thumbnail_url!, t.carol)).status).toBe(403);
      expect((await get(`${body.url}/signed`, t.carol)).status).toBe(403);
      expect((await get(body.url, t.admin)).status).toBe(200); // monitor permission
      await expectRefused(await upload(await png(), { conversation: '01JUNKNOWNCONVERSATION0000' }), 404);
    });

    it('serves a signed URL without a bearer, and refuses bad, expired or tampered ones', async () => {
      const body = (await (await upload(await png())).json()) as UploadBody;
      expect((await get(body.signed_url)).status).toBe(200);
      expect((await get(body.signed_thumbnail_url!)).status).toBe(200);
      expect((await get(body.url)).status).toBe(401);

      const sig = new URL(body.signed_url, t.server.url).searchParams;
      const exp = sig.get('exp')!;
      const s = sig.get('sig')!;
      const flipped = (s[0] === 'A' ? 'B' : 'A') + s.slice(1);
      for (const path of [
        `${body.url}?exp=${exp}&sig=${flipped}`, // tampered signature
        `${body.url}?exp=${String(Number(exp) + 60)}&sig=${s}`, // extended expiry
        `${body.url}/thumbnail?exp=${exp}&sig=${s}`, // other variant
        `${body.url}?exp=${exp}`, // half a signature
      ]) {
        const res = await get(path);
        expect(res.status, path).toBe(403);
      }
      const signer = new UploadUrlSigner(t.server.config.uploads.urlSecret, 60);
      const old = signer.sign(body.upload_id, 'original', Date.now() - 3_600_000);
      const expired = await get(`${body.url}?exp=${String(old.exp)}&sig=${old.sig}`);
      expect(expired.status).toBe(403);
      expect(((await expired.json()) as ErrorBody).error.message).toBe('The signed URL has expired');
      expect((await get(`${body.url}?exp=1&sig=short`)).status).toBe(400);
      expect((await get(`${body.url}?other=1`, t.bob)).status).toBe(400);
    });

    it('hands participants fresh signed URLs for history', async () => {
      const body = (await (await upload(await png())).json()) as UploadBody;
      const res = await get(`${body.url}/signed`, t.admin);
      expect(res.status).toBe(200);
      const fresh = (await res.json()) as UploadBody;
      expect(fresh).toMatchObject({
        upload_id: body.upload_id,
        url: body.url,
        thumbnail_url: body.thumbnail_url,
      });
      expect((await get(fresh.signed_url)).status).toBe(200);
      expect((await get('/api/v1/uploads/01JZZZZZZZZZZZZZZZZZZZZZZZ/signed', t.admin)).status).toBe(404);
      expect((await get('/api/v1/uploads/not-an-id', t.admin)).status).toBe(404);
    });
  });
}
