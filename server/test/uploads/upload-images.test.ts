// Image uploads on both blob stores (upload-routes-env.ts): re-encoded without EXIF, capped, detected by
// their bytes, animated GIFs kept; disguised and damaged files refused, storing nothing.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { EXE, HTML, SVG, exifJpeg, png } from './fixtures.js';
import { STORES, useUploadRoutes, type UploadBody } from './upload-routes-env.js';

for (const store of STORES) {
  describe(`upload routes (${store} store)`, () => {
    const t = useUploadRoutes(store);
    const { upload, get, expectRefused } = t;

    it('re-encodes a JPEG: EXIF applied and stripped, thumbnail made, safe headers', async () => {
      const res = await upload(await exifJpeg(), { name: 'IMG_0001.JPG', type: 'image/jpeg' });
      expect(res.status).toBe(201);
      const body = (await res.json()) as UploadBody;
      expect(body).toMatchObject({
        kind: 'image',
        url: `/api/v1/uploads/${body.upload_id}`,
        thumbnail_url: `/api/v1/uploads/${body.upload_id}/thumbnail`,
        width: 400,
        height: 600,
        mime_type: 'image/jpeg',
        name: 'IMG_0001.JPG',
      });
      expect(body.signed_url).toMatch(/\?exp=\d+&sig=[\w-]{43}$/);

      const original = await get(body.url, t.bob);
      expect(original.status).toBe(200);
      expect(original.headers.get('content-type')).toBe('image/jpeg');
      expect(original.headers.get('x-content-type-options')).toBe('nosniff');
      expect(original.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
      expect(original.headers.get('cache-control')).toMatch(/^private/);
      expect(original.headers.get('content-disposition')).toMatch(/^inline; filename="IMG_0001.JPG"/);
      const bytes = Buffer.from(await original.arrayBuffer());
      expect(Number(original.headers.get('content-length'))).toBe(bytes.length);
      expect(bytes.length).toBe(body.size_bytes);
      const meta = await sharp(bytes).metadata();
      expect(meta.exif).toBeUndefined();
      expect(meta.orientation).toBeUndefined();
      expect([meta.width, meta.height]).toEqual([400, 600]);
      expect(bytes.includes(Buffer.from('secret owner'))).toBe(false);

      const thumb = await get(body.thumbnail_url!, t.bob);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('content-type')).toBe('image/jpeg');
      const tmeta = await sharp(Buffer.from(await thumb.arrayBuffer())).metadata();
      expect([tmeta.format, tmeta.width, tmeta.height]).toEqual(['jpeg', 213, 320]);
    });

    it('caps image dimensions at 4096 px', async () => {
      const big = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: '#fff' } })
        .png()
        .toBuffer();
      const body = (await (await upload(big)).json()) as UploadBody;
      expect([body.width, body.height]).toEqual([4096, 819]);
    });

    it('detects a PNG by its bytes whatever its name and Content-Type say', async () => {
      const res = await upload(await png(), { name: 'photo.jpg', type: 'image/jpeg' });
      expect(res.status).toBe(201);
      const body = (await res.json()) as UploadBody;
      expect(body).toMatchObject({ mime_type: 'image/png', name: 'photo.png', width: 64, height: 48 });
      const served = await get(body.url, t.admin);
      expect(served.headers.get('content-type')).toBe('image/png');
      expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).format).toBe('png');
    });

    it('keeps an animated GIF animated', async () => {
      const frame = (background: string) =>
        sharp({ create: { width: 40, height: 40, channels: 3, background } })
          .png()
          .toBuffer();
      const multi = await sharp([await frame('#f00'), await frame('#0f0'), await frame('#00f')], {
        join: { animated: true },
      })
        .gif({ loop: 0 })
        .toBuffer();
      const body = (await (await upload(multi, { name: 'sticker.gif' })).json()) as UploadBody;
      expect(body).toMatchObject({ mime_type: 'image/gif', width: 40, height: 40 });
      const served = Buffer.from(await (await get(body.url, t.bob)).arrayBuffer());
      expect((await sharp(served, { animated: true }).metadata()).pages).toBe(3);
    });

    it.each([
      ['HTML', HTML, 'cat.jpg'],
      ['SVG', SVG, 'cat.svg'],
      ['an executable', EXE, 'cat.png'],
    ])('refuses %s disguised as an image (415) and stores nothing', async (_what, bytes, name) => {
      await expectRefused(await upload(bytes, { name, type: 'image/jpeg' }), 415, 'type_not_allowed');
    });

    it('refuses a truncated or corrupt image with a clear error', async () => {
      const jpeg = await exifJpeg();
      const res = await expectRefused(
        await upload(jpeg.subarray(0, Math.floor(jpeg.length / 2))),
        400,
        'damaged',
      );
      expect(res.error.message).toBe('The image is damaged or incomplete');
      const garbage = Buffer.concat([jpeg.subarray(0, 4), Buffer.alloc(2000, 0x41)]);
      await expectRefused(await upload(garbage), 400, 'damaged');
    });
  });
}
