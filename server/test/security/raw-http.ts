// Raw HTTP/1.1 over node:net: exact bytes and timing (truncated, stalled, reset bodies), which fetch hides.
import { connect } from 'node:net';

export interface RawResponse {
  /** Undefined when no status line arrived before the socket closed (or the wait ended). */
  status: number | undefined;
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection (rather than us after a complete answer). */
  closedByServer: boolean;
  /** When the status line arrived, in ms after the request started. */
  answeredAfterMs: number | undefined;
}

export interface RawRequest {
  method?: string;
  path: string;
  headers: Record<string, string>;
  /** Written in order, `pauseMs` apart. */
  chunks: Buffer[];
  /** `Content-Length` to declare; default the chunks' total; null: none (a body-less header block). */
  contentLength?: number | null;
  pauseMs?: number;
  /** After the last chunk: keep the socket open, half-close it (FIN), or reset it. */
  finish?: 'keep' | 'end' | 'reset';
  /** Give up waiting for an answer after this long. */
  waitMs?: number;
}

/** Sends one request on a fresh connection and reads one answer (JSON bodies with Content-Length). */
export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  const started = Date.now();
  const total = request.chunks.reduce((n, c) => n + c.length, 0);
  const length = request.contentLength === undefined ? total : request.contentLength;
  const head =
    `${request.method ?? 'POST'} ${request.path} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n` +
    Object.entries({ ...request.headers, ...(length === null ? {} : { 'Content-Length': String(length) }) })
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('') +
    '\r\n';
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let received = Buffer.alloc(0);
    let result: RawResponse | undefined;
    let closedByUs = false;
    const parse = (): RawResponse | undefined => {
      const end = received.indexOf('\r\n\r\n');
      if (end === -1) return undefined;
      const [statusLine = '', ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      const body = received.subarray(end + 4);
      return {
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]) || undefined,
        headers,
        body: body.toString('utf8'),
        closedByServer: false,
        answeredAfterMs: Date.now() - started,
      };
    };
    const finish = (closedByServer: boolean): void => {
      clearTimeout(timer);
      const r = result ??
        parse() ?? {
          status: undefined,
          headers: {},
          body: '',
          closedByServer,
          answeredAfterMs: undefined,
        };
      resolve({ ...r, closedByServer });
    };
    const timer = setTimeout(() => {
      closedByUs = true;
      socket.destroy();
    }, request.waitMs ?? 15_000);
    socket.on('data', (data: Buffer) => {
      received = Buffer.concat([received, data]);
      const r = parse();
      const declared = Number(r?.headers['content-length'] ?? NaN);
      if (r && Buffer.byteLength(r.body) >= declared) {
        result = r;
        // A server that said `Connection: close` must close by itself: wait for it.
        if (r.headers['connection'] === 'close') return;
        closedByUs = true;
        socket.destroy();
      }
    });
    // Writes after the server answered and closed fail with EPIPE/ECONNRESET: the answer still counts.
    socket.on('error', () => undefined);
    socket.on('close', () => {
      finish(!closedByUs);
    });
    socket.once('connect', () => {
      void (async () => {
        socket.write(head);
        for (const chunk of request.chunks) {
          if (socket.destroyed) return;
          if (request.pauseMs) await new Promise((r) => setTimeout(r, request.pauseMs));
          socket.write(chunk);
        }
        if (request.finish === 'end') socket.end();
        else if (request.finish === 'reset') {
          closedByUs = true;
          socket.resetAndDestroy();
        }
      })();
    });
  });
}

export interface PartSpec {
  name: string;
  filename?: string;
  type?: string;
  /** Extra header lines, e.g. `X-Pad: …`, placed before Content-Disposition when `first`. */
  extraHeaders?: string[];
  extraFirst?: boolean;
  /** No Content-Disposition at all (busboy skips such a part, but counts it). */
  bare?: boolean;
  data: Buffer | string;
}

/** A multipart/form-data body with the given parts and a closing delimiter. */
export function multipartBody(boundary: string, parts: PartSpec[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    const disposition =
      `Content-Disposition: form-data; name="${p.name}"` +
      (p.filename === undefined ? '' : `; filename="${p.filename}"`);
    const lines = [...(p.bare ? [] : [disposition]), ...(p.type ? [`Content-Type: ${p.type}`] : [])];
    const extra = p.extraHeaders ?? [];
    const all = p.extraFirst ? [...extra, ...lines] : [...lines, ...extra];
    out.push(Buffer.from(`--${boundary}\r\n${all.join('\r\n')}\r\n\r\n`, 'latin1'));
    out.push(typeof p.data === 'string' ? Buffer.from(p.data) : p.data);
    out.push(Buffer.from('\r\n'));
  }
  out.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(out);
}
