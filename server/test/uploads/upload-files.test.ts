// Files and voice clips on both blob stores (upload-routes-env.ts): the allow-list, names, size limits
// (declared and streamed), MP3 with byte ranges, and malformed upload requests.
import { describe, expect, it } from 'vitest';
import { EXE, HTML, PDF, SVG, png, wav } from './fixtures.js';
import { STORES, useUploadRoutes, type UploadBody } from './upload-routes-env.js';

for (const store of STORES) {
  describe(`upload routes (${store} store)`, () => {
    const t = useUploadRoutes(store);
    const { upload, get, stored, expectRefused } = t;

    it('refuses HTML, SVG and executables as files too', async () => {
      for (const [bytes, name] of [
        [HTML, 'page.txt'],
        [SVG, 'logo.svg'],
        [EXE, 'setup.pdf'],
      ] as const) {
        await expectRefused(await upload(bytes, { kind: 'file', name }), 415, 'type_not_allowed');
      }
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
      const res = await fetch(
        `${t.server.url}/api/v1/uploads?conversation_id=${t.conversationId}&kind=voice`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${t.bob}`,
            'content-type': `multipart/form-data; boundary=${boundary}`,
          },
          body,
          duplex: 'half',
        },
      );
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
      const whole = Buffer.from(await (await get(body.url, t.bob)).arrayBuffer());
      const size = body.size_bytes;
      expect(whole.length).toBe(size);
      const part = await get(body.url, t.bob, { range: 'bytes=0-11' });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-type')).toBe('audio/mpeg');
      expect(part.headers.get('content-range')).toBe(`bytes 0-11/${String(size)}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(whole.subarray(0, 12))).toBe(true);
      const tail = await get(body.url, t.bob, { range: 'bytes=-4' });
      expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(size - 4))).toBe(true);
      const outside = await get(body.url, t.bob, { range: `bytes=${String(size)}-` });
      expect(outside.status).toBe(416);
      expect(outside.headers.get('content-range')).toBe(`bytes */${String(size)}`);
      expect((await get(`${body.url}/thumbnail`, t.bob)).status).toBe(404);
    });

    it('stores files from the allow-list and serves them as attachments', async () => {
      const res = await upload(PDF, { kind: 'file', name: '发票 2024.pdf', type: 'text/html' });
      expect(res.status).toBe(201);
      const body = (await res.json()) as UploadBody;
      expect(body).toMatchObject({ kind: 'file', mime_type: 'application/pdf', name: '发票 2024.pdf' });
      const served = await get(body.url, t.bob);
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
      const res = await fetch(
        `${t.server.url}/api/v1/uploads?conversation_id=${t.conversationId}&kind=file`,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${t.bob}` },
          body: form,
        },
      );
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
        const r = await fetch(
          `${t.server.url}/api/v1/uploads?conversation_id=${t.conversationId}&kind=file`,
          {
            method: 'POST',
            headers: { authorization: `Bearer ${t.bob}` },
            body,
          },
        );
        names.push(((await r.json()) as UploadBody).name);
      }
      expect(names).toEqual(['passwd.pdf', 'tmp_2.pdf']);
    });

    it('refuses bodies without exactly one file part, and bad requests', async () => {
      const none = new FormData();
      none.append('note', 'no file here');
      const post = (
        body: string | FormData,
        query = `conversation_id=${t.conversationId}&kind=image`,
        headers: Record<string, string> = {},
      ) =>
        fetch(`${t.server.url}/api/v1/uploads?${query}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${t.bob}`, ...headers },
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
      await expectRefused(await post(new FormData(), `conversation_id=${t.conversationId}&kind=video`), 400);
      await expectRefused(await post(new FormData(), `kind=image`), 400);
      await expectRefused(await upload(Buffer.alloc(0)), 400, 'empty');
      const anonymous = await fetch(
        `${t.server.url}/api/v1/uploads?conversation_id=${t.conversationId}&kind=image`,
        {
          method: 'POST',
          body: new FormData(),
        },
      );
      await expectRefused(anonymous, 401);
    });
  });
}
