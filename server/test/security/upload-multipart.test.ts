import { createServer, type Server } from 'node:http';
import Koa from 'koa';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@kefu/tools/testing';
import { AppError, type ValidationError } from '../../src/errors.js';
import { errorHandler } from '../../src/port/http/error-handler.js';
import { MAX_PART_HEADER_BYTES, boundaryOf, partHeaderGuard } from '../../src/port/http/multipart-guard.js';
import { readSingleFile } from '../../src/port/http/upload-multipart.js';
import { silentLogger } from '../helpers.js';
import { multipartBody, rawRequest } from './raw-http.js';

const SEED = 20_250_611;
const BOUNDARY = 'kefu-unit-boundary';
const body = multipartBody(BOUNDARY, [
  { name: 'note', data: 'hello' },
  { name: 'file', filename: 'a.txt', type: 'text/plain', data: 'x'.repeat(300) },
]);
const headers = { 'Content-Type': `multipart/form-data; boundary=${BOUNDARY}` };

describe('boundaryOf', () => {
  it.each([
    ['multipart/form-data; boundary=----WebKitFormBoundaryu7Xl2Rk9', '----WebKitFormBoundaryu7Xl2Rk9'],
    ['multipart/form-data; charset=utf-8; BOUNDARY="a b:c?=d"', 'a b:c?=d'],
    [`multipart/form-data; boundary=${'b'.repeat(70)}`, 'b'.repeat(70)],
  ])('accepts %s', (contentType, expected) => {
    expect(boundaryOf(contentType)).toBe(expected);
  });

  it.each([
    'multipart/form-data; charset=utf-8',
    'multipart/form-data; boundary=',
    'multipart/form-data; boundary=""',
    `multipart/form-data; boundary=${'b'.repeat(71)}`,
    'multipart/form-data; boundary="abc',
    'multipart/form-data; boundary=a"b',
    'multipart/form-data; boundary="ends with space "',
    'multipart/form-data; boundary=a<b>',
    'multipart/form-data; boundary=a; boundary=b',
  ])('refuses %s with bad_boundary', (contentType) => {
    expect(() => boundaryOf(contentType)).toThrow(
      expect.objectContaining({ code: 'bad_request', details: { reason: 'bad_boundary' } }),
    );
  });
});

describe('partHeaderGuard', () => {
  const pad = (n: number) => [`X-Pad: ${'p'.repeat(n)}`];
  const oversized = multipartBody(BOUNDARY, [
    { name: 'file', filename: 'a.txt', data: 'x', extraHeaders: pad(MAX_PART_HEADER_BYTES) },
  ]);
  const manyLines = multipartBody(BOUNDARY, [
    { name: 'file', filename: 'a.txt', data: 'x', extraHeaders: Array.from({ length: 20 }, () => 'A: b') },
  ]);
  /** Feeds `bytes` cut at `cuts` and returns the guard's first complaint. */
  const feed = (bytes: Buffer, cuts: number[]): ValidationError | undefined => {
    const guard = partHeaderGuard(BOUNDARY);
    let from = 0;
    for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
      const problem = guard(bytes.subarray(from, cut));
      if (problem) return problem;
      from = cut;
    }
    return undefined;
  };
  const cuts = (bytes: Buffer) => fc.array(fc.integer({ min: 0, max: bytes.length }), { maxLength: 40 });

  it('lets normal bodies through however they are split into chunks', () => {
    fc.assert(
      fc.property(cuts(body), (at) => feed(body, at) === undefined),
      { seed: SEED, numRuns: 300 },
    );
    expect(
      feed(
        body,
        Array.from({ length: body.length }, (_, i) => i),
      ),
    ).toBeUndefined();
  });

  it('finds headers that are too large or too many, whatever the chunking', () => {
    for (const bytes of [oversized, manyLines]) {
      fc.assert(
        fc.property(cuts(bytes), (at) => feed(bytes, at)?.details !== undefined),
        { seed: SEED, numRuns: 200 },
      );
    }
    expect(feed(oversized, [])?.message).toMatch(/headers exceed/);
  });
});

describe('readSingleFile in a Koa app (idle timeout 400 ms)', () => {
  let http: Server;
  let url: string;
  const outcomes: string[] = [];

  beforeAll(async () => {
    const app = new Koa();
    app.silent = true; // as in createHttpApp: a socket error after the answer is not worth a stack trace
    app.use(errorHandler(silentLogger));
    app.use(async (ctx) => {
      const tooLarge = () => new AppError('payload_too_large', 'too large');
      try {
        const part = await readSingleFile(ctx.req, 4096, tooLarge, { idleTimeoutMs: 400 });
        outcomes.push('ok');
        ctx.body = { size: part.data.length, name: part.fileName };
      } catch (err) {
        outcomes.push((err as AppError).code);
        throw err;
      }
    });
    http = createServer((req, res) => void app.callback()(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${String((http.address() as { port: number }).port)}`;
  });
  afterAll(async () => {
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  });

  it('answers 408 with Connection: close when the body stops arriving', async () => {
    const res = await rawRequest(url, {
      path: '/',
      headers,
      chunks: [body.subarray(0, 90)],
      contentLength: body.length,
      finish: 'keep',
    });
    expect(res.status).toBe(408);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: 'request_timeout' } });
    expect(res.headers['connection']).toBe('close');
    expect(res.answeredAfterMs).toBeGreaterThanOrEqual(350);
    expect(res.answeredAfterMs).toBeLessThan(3_000);
    expect(res.closedByServer).toBe(true);
  });

  it('reads a slow body whole as long as bytes keep coming', async () => {
    const chunks = Array.from({ length: Math.ceil(body.length / 40) }, (_, i) =>
      body.subarray(i * 40, i * 40 + 40),
    );
    const res = await rawRequest(url, { path: '/', headers, chunks, pauseMs: 100 });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ size: 300, name: 'a.txt' });
    expect(chunks.length * 100).toBeGreaterThan(1_000); // well past the idle timeout in total
  });

  it.each(['reset', 'end'] as const)(
    'settles at once when the client %ss the connection mid-body',
    async (finish) => {
      const before = outcomes.length;
      const started = Date.now();
      await rawRequest(url, {
        path: '/',
        headers,
        chunks: [body.subarray(0, 120)],
        contentLength: body.length,
        finish,
        waitMs: 2_000,
      });
      await waitFor('the read to settle', () => outcomes.length > before, { timeoutMs: 2_000 });
      expect(outcomes[before]).toBe('bad_request');
      expect(Date.now() - started).toBeLessThan(1_000); // not by the idle timeout
    },
  );
});
