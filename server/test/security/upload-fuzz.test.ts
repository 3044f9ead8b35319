// Finding 1: a visitor's truncated multipart upload ended the server process. The server runs in its
// own process here, so a crash shows as a crash (and in its log) instead of taking vitest down.
import fc from 'fast-check';
import type { Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomerClient, createMemoryStorage, type CustomerClient } from '@kefu/sdk-core';
import { testMongoUri } from '@kefu/tools/testing';
import { connectDatabase } from '../../src/infra/database.js';
import { uploadModel } from '../../src/model/upload.js';
import { MAX_PART_HEADER_BYTES, MAX_PART_HEADER_LINES } from '../../src/port/http/multipart-guard.js';
import { serverMain, spawnServer } from '../helpers.js';
import { http, transport } from '../messaging/harness.js';
import { multipartBody, rawRequest, type PartSpec, type RawRequest, type RawResponse } from './raw-http.js';

const SEED = 20_250_611;
const B = 'kefu-fuzz-4Yq2Lm9';
const TEXT = Buffer.from('订单号 123\n谢谢\n'.repeat(120)); // ~2.6 KB: stored as a .txt when intact
const filePart: PartSpec = { name: 'file', filename: 'notes.txt', type: 'text/plain', data: TEXT };
const VALID = multipartBody(B, [filePart]);
const multipart = (boundary = B) => `multipart/form-data; boundary=${boundary}`;
/** UPLOAD_IDLE_TIMEOUT_MS of the server under test (default 30 s): the slow cases wait it out. */
const IDLE_MS = 2_000;
const CRASHED = /uncaught exception|unhandled promise rejection|Unhandled 'error' event/i;

interface ErrorBody {
  error: { code: string; message: string; details?: { reason?: string } };
}

describe('POST /api/v1/uploads with hostile multipart bodies (server in its own process)', () => {
  let server: Awaited<ReturnType<typeof spawnServer>>;
  let db: Connection;
  let visitor: CustomerClient;
  let token: string;
  let path: string;
  let slow: Promise<RawResponse[]>;

  const post = (chunks: Buffer[], contentType: string, more: Partial<RawRequest> = {}) =>
    rawRequest(server.url, {
      path,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': contentType },
      chunks,
      ...more,
    });
  const stored = async () =>
    (await uploadModel(db).countDocuments()) + (await db.collection('uploads.files').countDocuments());
  /** After every case: the process is alive, serves, logged no crash, and stored nothing. */
  const expectHealthy = async () => {
    expect(server.proc.child.exitCode).toBeNull();
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(server.proc.output()).not.toMatch(CRASHED);
    expect(await stored()).toBe(0);
  };
  /** `finish: 'end'` (FIN after the body): Node's HTTP server closes at once, so no answer is fine too. */
  const expectRefused = async (res: RawResponse, statuses: number[], reasons?: string[], finish = 'keep') => {
    if (finish === 'end' && res.status === undefined) return expectHealthy();
    expect(statuses).toContain(res.status);
    const body = JSON.parse(res.body) as ErrorBody;
    expect(body.error.code).toMatch(/^[a-z_]+$/);
    expect(body.error.message).toBeTruthy();
    if (reasons) expect(reasons).toContain(body.error.details?.reason);
    await expectHealthy();
  };
  const run = <T>(arb: fc.Arbitrary<T>, numRuns: number, check: (value: T) => Promise<void>) =>
    fc.assert(fc.asyncProperty(arb, check), { seed: SEED, numRuns });

  beforeAll(async () => {
    const uri = testMongoUri('upload-fuzz');
    server = await spawnServer(serverMain, {
      MONGODB_URI: uri,
      NODE_ENV: 'test',
      UPLOAD_IDLE_TIMEOUT_MS: String(IDLE_MS),
    });
    db = await connectDatabase(uri);
    visitor = createCustomerClient({ baseUrl: server.url, transport, http, storage: createMemoryStorage() });
    await visitor.start();
    const conversation = await visitor.open();
    token = (await visitor.sessions.current()).token;
    path = `/api/v1/uploads?conversation_id=${conversation.id ?? ''}&kind=file`;
    // Slow bodies: a few bytes (or none), then silence. They wait out the idle timeout while the other
    // cases run, and are checked in their own test below.
    const cuts = [0, ...fc.sample(fc.integer({ min: 1, max: VALID.length - 1 }), { seed: SEED, numRuns: 4 })];
    slow = Promise.all(
      cuts.map((cut) =>
        post(cut ? [VALID.subarray(0, cut)] : [], multipart(), {
          contentLength: VALID.length,
          finish: 'keep',
          waitMs: IDLE_MS + 15_000,
        }),
      ),
    );
  });
  afterAll(async () => {
    await visitor.stop();
    await db.close();
    expect(await server.proc.stop()).toBe(0);
  });

  it('answers 400 to the reported request (body cut off inside the file part) and lives', async () => {
    const cut = VALID.subarray(0, VALID.indexOf('谢谢') + 10);
    const res = await post([cut], multipart());
    await expectRefused(res, [400], ['truncated']);
    expect((JSON.parse(res.body) as ErrorBody).error.message).toMatch(/ended before/);
    // The same with the connection half-closed (FIN) after the body, as in the report.
    await expectRefused(await post([cut], multipart(), { finish: 'end' }), [400], ['truncated'], 'end');
  });

  it('lives through clients that stop mid-body: FIN or reset before the declared length', async () => {
    for (const finish of ['end', 'reset'] as const) {
      const res = await post([VALID.subarray(0, 200)], multipart(), {
        contentLength: VALID.length,
        finish,
        waitMs: 5_000,
      });
      // Node's HTTP parser answers a bare 400 to a body that ends early; a reset gets nothing.
      expect([undefined, 400]).toContain(res.status);
      await expectHealthy();
    }
  });

  it('lives through request headers above the limit of Node (431 from its HTTP parser)', async () => {
    const res = await post([VALID], multipart(), {
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': multipart(), 'X-Pad': 'p'.repeat(20_000) },
    });
    expect(res.status).toBe(431);
    await expectHealthy();
  });

  it('refuses a chunked body cut off inside the file part', async () => {
    const cut = VALID.subarray(0, 500);
    const chunked = Buffer.concat([
      Buffer.from(`${cut.length.toString(16)}\r\n`),
      cut,
      Buffer.from('\r\n0\r\n\r\n'),
    ]);
    const res = await post([chunked], multipart(), {
      contentLength: null,
      headers: {
        Authorization: `Bearer ${token}`,
        'Content-Type': multipart(),
        'Transfer-Encoding': 'chunked',
      },
    });
    await expectRefused(res, [400], ['truncated']);
  });

  it('answers 413 and closes the connection when the declared body is too large', async () => {
    const res = await post([VALID.subarray(0, 100)], multipart(), { contentLength: 300 * 1024 * 1024 });
    await expectRefused(res, [413]);
    expect(res.closedByServer).toBe(true);
  });

  it('refuses bodies truncated at any offset', async () => {
    const cut = fc.integer({ min: 0, max: VALID.length - 3 }); // the last 2 bytes only end the epilogue
    await run(fc.tuple(cut, fc.constantFrom('keep', 'end' as const)), 100, async ([at, finish]) => {
      const res = await post([VALID.subarray(0, at)], multipart(), { finish });
      await expectRefused(res, [400], ['truncated'], finish);
    });
  });

  it('refuses missing, empty, over-long, garbled and mismatched boundaries', async () => {
    const bchar = fc.constantFrom(...'abcXYZ019-_.'.split(''));
    const good = fc.string({ unit: bchar, minLength: 1, maxLength: 40 });
    const cases = fc.oneof(
      fc.constantFrom(
        { header: 'multipart/form-data; charset=utf-8', body: B },
        { header: 'multipart/form-data;', body: B },
        { header: 'multipart/form-data; boundary=', body: '' },
        { header: 'multipart/form-data; boundary=""', body: '' },
        { header: 'multipart/form-data', body: B },
        { header: `multipart/mixed; boundary=${B}`, body: B },
        { header: 'application/octet-stream', body: B },
      ),
      fc
        .string({ unit: bchar, minLength: 71, maxLength: 300 })
        .map((b) => ({ header: multipart(b), body: b })),
      fc
        .tuple(good, fc.constantFrom(...'"\\<>@[]{}é'.split('')), fc.nat(40))
        .map(([b, bad, at]) => b.slice(0, at) + bad + b.slice(at))
        .map((b) => ({ header: multipart(b), body: b })),
      fc
        .tuple(good, good)
        .filter(([a, b]) => a !== b)
        .map(([a, b]) => ({ header: multipart(a), body: b })),
    );
    await run(cases, 80, async ({ header, body }) => {
      await expectRefused(await post([multipartBody(body, [filePart])], header), [400, 415]);
    });
  });

  it('refuses part headers above the size and line limits', async () => {
    const huge = fc.record({
      size: fc.integer({ min: MAX_PART_HEADER_BYTES + 1, max: 256 * 1024 }),
      lines: fc.integer({ min: 1, max: 2 }),
      first: fc.boolean(),
    });
    const many = fc.record({
      size: fc.constant(4),
      lines: fc.integer({ min: MAX_PART_HEADER_LINES, max: 400 }),
      first: fc.boolean(),
    });
    await run(fc.oneof(huge, many), 40, async ({ size, lines, first }) => {
      const extraHeaders = Array.from({ length: lines }, (_, i) => `X-Pad-${String(i)}: ${'p'.repeat(size)}`);
      const body = multipartBody(B, [{ ...filePart, extraHeaders, extraFirst: first }]);
      await expectRefused(await post([body], multipart()), [400], ['headers_too_large']);
    });
  });

  it('refuses too many files, fields or parts', async () => {
    const counts = fc
      .record({
        files: fc.integer({ min: 1, max: 4 }),
        fields: fc.nat(60),
        bare: fc.nat(40),
        fileFirst: fc.boolean(),
      })
      .filter((c) => c.files > 1 || c.fields > 20 || c.files + c.fields + c.bare > 21);
    await run(counts, 60, async ({ files, fields, bare, fileFirst }) => {
      const others: PartSpec[] = [
        ...Array.from({ length: fields }, (_, i) => ({ name: `f${String(i)}`, data: 'v' })),
        ...Array.from({ length: bare }, () => ({ name: '', bare: true, type: 'text/plain', data: 'v' })),
      ];
      const fileParts = Array.from({ length: files }, () => filePart);
      const parts = fileFirst ? [...fileParts, ...others] : [...others, ...fileParts];
      await expectRefused(
        await post([multipartBody(B, parts)], multipart()),
        [400],
        ['too_many_files', 'too_many_parts'],
      );
    });
  });

  it('refuses random bytes as a body', async () => {
    await run(fc.uint8Array({ maxLength: 8192 }), 100, async (bytes) => {
      await expectRefused(await post([Buffer.from(bytes)], multipart()), [400]);
    });
  });

  it('refuses a file part named other than "file", and a "file" part that is not a file', async () => {
    const name = fc
      .string({ unit: fc.constantFrom(...'afileFILE_-1 '.split('')), maxLength: 12 })
      .filter((n) => n !== 'file');
    const cases = fc.oneof(
      name.map((n): PartSpec[] => [{ ...filePart, name: n }]),
      fc.constant<PartSpec[]>([{ name: 'file', data: TEXT }]),
    );
    await run(cases, 40, async (parts) => {
      await expectRefused(await post([multipartBody(B, parts)], multipart()), [400]);
    });
  });

  it('answers 408 and closes the connection when a body stops arriving', async () => {
    for (const res of await slow) {
      await expectRefused(res, [408]);
      expect((JSON.parse(res.body) as ErrorBody).error.code).toBe('request_timeout');
      expect(res.answeredAfterMs).toBeGreaterThanOrEqual(IDLE_MS - 200);
      expect(res.answeredAfterMs).toBeLessThan(IDLE_MS + 15_000);
      expect(res.closedByServer).toBe(true);
    }
  }, 60_000);

  it('still stores a valid upload afterwards (201)', async () => {
    const res = await post([VALID], multipart());
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toMatchObject({ kind: 'file', name: 'notes.txt', size_bytes: TEXT.length });
    expect(await stored()).toBe(2); // the record and its GridFS file
    expect(server.proc.output()).not.toMatch(CRASHED);
  });
});
