import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMongoUri } from '@kefu/tools/testing';
import { startServer, type KefuServer } from '../../src/server.js';
import { uploadModel } from '../../src/model/upload.js';
import { UploadUrlSigner } from '../../src/service/uploads/url-signer.js';
import { silentLogger, testConfig } from '../helpers.js';
import {
  EXE,
  HTML,
  PDF,
  SVG,
  agentToken,
  customerToken,
  exifJpeg,
  openConversation,
  png,
  wav,
} from './fixtures.js';

interface UploadBody {
  upload_id: string;
  kind: string;
  url: string;
  thumbnail_url?: string;
  signed_url: string;
  signed_thumbnail_url?: string;
  signed_expires_at: string;
  width?: number;
  height?: number;
  size_bytes: number;
  mime_type: string;
  name: string;
}
interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

for (const store of ['gridfs', 'disk'] as const) {
  describe(`upload routes (${store} store)`, () => {
    let server: KefuServer;
    let dir: string;
    let bob: string;
    let carol: string;
    let admin: string;
    let conversationId: string;

    const upload = (
      file: Buffer | Blob[],
      opts: { kind?: string; name?: string; type?: string; token?: string; conversation?: string } = {},
    ) => {
      const form = new FormData();
      const files = Array.isArray(file)
        ? file
        : [new Blob([new Uint8Array(file)], { type: opts.type ?? 'application/octet-stream' })];
      for (const f of files) form.append('file', f, opts.name ?? 'upload.bin');
      const q = `conversation_id=${opts.conversation ?? conversationId}&kind=${opts.kind ?? 'image'}`;
      return fetch(`${server.url}/api/v1/uploads?${q}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${opts.token ?? bob}` },
        body: form,
      });
    };
    const get = (path: string, token?: string, headers: Record<string, string> = {}) =>
      fetch(`${server.url}${path}`, {
        headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
    const stored = async () => {
      const records = await uploadModel(server.db).countDocuments();
      const blobs =
        store === 'gridfs'
          ? await server.db.collection('uploads.files').countDocuments()
          : (await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])).filter((e) =>
              e.isFile(),
            ).length;
      return { records, blobs };
    };
    const expectRefused = async (res: Response, status: number, reason?: string) => {
      const before = await stored();
      expect(res.status).toBe(status);
      const body = (await res.json()) as ErrorBody;
      expect(body.error.message).toBeTruthy();
      if (reason) expect(body.error.details?.reason).toBe(reason);
      expect(await stored()).toEqual(before);
      return body;
    };

    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'kefu-uploads-'));
      server = await startServer(
        testConfig({
          MONGODB_URI: testMongoUri(`uploads_${store}`),
          ADMIN_PASSWORD: 'admin-pass-123',
          UPLOAD_STORE: store,
          UPLOAD_DIR: dir,
          UPLOAD_MAX_VOICE_BYTES: String(64 * 1024),
        }),
        silentLogger,
      );
      bob = await customerToken(server, 'bob');
      carol = await customerToken(server, 'carol');
      admin = await agentToken(server, 'admin', 'admin-pass-123');
      conversationId = await openConversation(server, 'u_bob');
    });
    afterAll(async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    });

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

      const original = await get(body.url, bob);
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

      const thumb = await get(body.thumbnail_url!, bob);
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
      const served = await get(body.url, admin);
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
      const served = Buffer.from(await (await get(body.url, bob)).arrayBuffer());
      expect((await sharp(served, { animated: true }).metadata()).pages).toBe(3);
    });

    it.each([
      ['HTML', HTML, 'cat.jpg'],
      ['SVG', SVG, 'cat.svg'],
      ['an executable', EXE, 'cat.png'],
    ])('refuses %s disguised as an image (415) and stores nothing', async (_what, bytes, name) => {
      await expectRefused(await upload(bytes, { name, type: 'image/jpeg' }), 415, 'type_not_allowed');
    });

    it('refuses HTML, SVG and executables as files too', async () => {
      for (const [bytes, name] of [
        [HTML, 'page.txt'],
        [SVG, 'logo.svg'],
        [EXE, 'setup.pdf'],
      ] as const) {
        await expectRefused(await upload(bytes, { kind: 'file', name }), 415, 'type_not_allowed');
      }
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

    it('refuses an oversized body declared by Content-Length (413) and stores nothing', async () => {
      await expectRefused(await upload(wav(40_000), { kind: 'voice' }), 413, 'too_large');
    });

    it('refuses an oversized file while streaming, without a Content-Length (413)', async () => {
      const before = await stored();
      const boundary = 'kefu-test-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="long.wav"\r\nContent-Type: audio/wav\r\n\r\n`,
      );
      const chunks = [head, ...Array.from({ length: 64 }, () => Buffer.alloc(4096, 1))];
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(new Uint8Array(next));
          else controller.close();
        },
      });
      const res = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=voice`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${bob}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
        body,
        duplex: 'half',
      });
      expect(res.status).toBe(413);
      expect(res.headers.get('connection')).toBe('close');
      expect(await stored()).toEqual(before);
    });

    it('stores a voice clip converted to MP3 and serves byte ranges', async () => {
      const res = await upload(wav(8000), { kind: 'voice', name: 'rec' });
      expect(res.status).toBe(201);
      const body = (await res.json()) as UploadBody & { duration_ms: number };
      expect(body).toMatchObject({ kind: 'voice', mime_type: 'audio/mpeg', name: 'rec.mp3' });
      expect(Math.abs(body.duration_ms - 1000)).toBeLessThan(100);
      expect(body.thumbnail_url).toBeUndefined();
      const whole = Buffer.from(await (await get(body.url, bob)).arrayBuffer());
      const size = body.size_bytes;
      expect(whole.length).toBe(size);
      const part = await get(body.url, bob, { range: 'bytes=0-11' });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-type')).toBe('audio/mpeg');
      expect(part.headers.get('content-range')).toBe(`bytes 0-11/${String(size)}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(0, 12))).toBe(true);
      const tail = await get(body.url, bob, { range: 'bytes=-4' });
      expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(size - 4))).toBe(true);
      const outside = await get(body.url, bob, { range: `bytes=${String(size)}-` });
      expect(outside.status).toBe(416);
      expect(outside.headers.get('content-range')).toBe(`bytes */${String(size)}`);
      expect((await get(`${body.url}/thumbnail`, bob)).status).toBe(404);
    });

    it('stores files from the allow-list and serves them as attachments', async () => {
      const res = await upload(PDF, { kind: 'file', name: '发票 2024.pdf', type: 'text/html' });
      expect(res.status).toBe(201);
      const body = (await res.json()) as UploadBody;
      expect(body).toMatchObject({ kind: 'file', mime_type: 'application/pdf', name: '发票 2024.pdf' });
      const served = await get(body.url, bob);
      expect(served.headers.get('content-type')).toBe('application/pdf');
      expect(served.headers.get('content-disposition')).toBe(
        `attachment; filename="__ 2024.pdf"; filename*=UTF-8''${encodeURIComponent('发票 2024.pdf')}`,
      );
      expect(Buffer.from(await served.arrayBuffer()).equals(PDF)).toBe(true);

      const text = (await (
        await upload(Buffer.from('订单号 123\n谢谢'), { kind: 'file', name: '../../notes.exe' })
      ).json()) as UploadBody;
      expect(text).toMatchObject({ mime_type: 'text/plain; charset=utf-8', name: 'notes.txt' });
    });

    it('names a file after the `name` field when sent (wx.uploadFile names the part after a temp path)', async () => {
      const form = new FormData();
      // WeChat sends form fields before the file part.
      form.append('name', '  对账单.pdf ');
      form.append('file', new Blob([new Uint8Array(PDF)]), 'tmp_3f9a0c.pdf');
      const res = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=file`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob}` },
        body: form,
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as UploadBody).name).toBe('对账单.pdf');
      // A path in it is no path, and an empty one keeps the part's name.
      const sneaky = new FormData();
      sneaky.append('name', '../../etc/passwd.pdf');
      sneaky.append('file', new Blob([new Uint8Array(PDF)]), 'tmp_1.pdf');
      const empty = new FormData();
      empty.append('name', '   ');
      empty.append('file', new Blob([new Uint8Array(PDF)]), 'tmp_2.pdf');
      const names = [];
      for (const body of [sneaky, empty]) {
        const r = await fetch(`${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=file`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bob}` },
          body,
        });
        names.push(((await r.json()) as UploadBody).name);
      }
      expect(names).toEqual(['passwd.pdf', 'tmp_2.pdf']);
    });

    it('keeps non-participants out of uploading and downloading', async () => {
      await expectRefused(await upload(await png(), { token: carol }), 403);
      const body = (await (await upload(await png())).json()) as UploadBody;
      expect((await get(body.url, carol)).status).toBe(403);
      expect((await get(body.thumbnail_url!, carol)).status).toBe(403);
      expect((await get(`${body.url}/signed`, carol)).status).toBe(403);
      expect((await get(body.url, admin)).status).toBe(200); // monitor permission
      await expectRefused(await upload(await png(), { conversation: '01JUNKNOWNCONVERSATION0000' }), 404);
    });

    it('serves a signed URL without a bearer, and refuses bad, expired or tampered ones', async () => {
      const body = (await (await upload(await png())).json()) as UploadBody;
      expect((await get(body.signed_url)).status).toBe(200);
      expect((await get(body.signed_thumbnail_url!)).status).toBe(200);
      expect((await get(body.url)).status).toBe(401);

      const sig = new URL(body.signed_url, server.url).searchParams;
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
      const signer = new UploadUrlSigner(server.config.uploads.urlSecret, 60);
      const old = signer.sign(body.upload_id, 'original', Date.now() - 3_600_000);
      const expired = await get(`${body.url}?exp=${String(old.exp)}&sig=${old.sig}`);
      expect(expired.status).toBe(403);
      expect(((await expired.json()) as ErrorBody).error.message).toBe('The signed URL has expired');
      expect((await get(`${body.url}?exp=1&sig=short`)).status).toBe(400);
      expect((await get(`${body.url}?other=1`, bob)).status).toBe(400);
    });

    it('hands participants fresh signed URLs for history', async () => {
      const body = (await (await upload(await png())).json()) as UploadBody;
      const res = await get(`${body.url}/signed`, admin);
      expect(res.status).toBe(200);
      const fresh = (await res.json()) as UploadBody;
      expect(fresh).toMatchObject({
        upload_id: body.upload_id,
        url: body.url,
        thumbnail_url: body.thumbnail_url,
      });
      expect((await get(fresh.signed_url)).status).toBe(200);
      expect((await get('/api/v1/uploads/01JZZZZZZZZZZZZZZZZZZZZZZZ/signed', admin)).status).toBe(404);
      expect((await get('/api/v1/uploads/not-an-id', admin)).status).toBe(404);
    });

    it('refuses bodies without exactly one file part, and bad requests', async () => {
      const none = new FormData();
      none.append('note', 'no file here');
      const post = (
        body: string | FormData,
        query = `conversation_id=${conversationId}&kind=image`,
        headers: Record<string, string> = {},
      ) =>
        fetch(`${server.url}/api/v1/uploads?${query}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${bob}`, ...headers },
          body,
        });
      await expectRefused(await post(none), 400, 'no_file');
      const a = new Blob([new Uint8Array(await png())]);
      await expectRefused(await upload([a, a]), 400, 'too_many_files');
      const other = new FormData();
      other.append('picture', a, 'a.png');
      await expectRefused(await post(other), 400);
      await expectRefused(
        await post(JSON.stringify({ file: 'x' }), undefined, { 'content-type': 'application/json' }),
        415,
      );
      await expectRefused(await post(new FormData(), `conversation_id=${conversationId}&kind=video`), 400);
      await expectRefused(await post(new FormData(), `kind=image`), 400);
      await expectRefused(await upload(Buffer.alloc(0)), 400, 'empty');
      const anonymous = await fetch(
        `${server.url}/api/v1/uploads?conversation_id=${conversationId}&kind=image`,
        {
          method: 'POST',
          body: new FormData(),
        },
      );
      await expectRefused(anonymous, 401);
    });
  });
}
