import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The host to put in a URL for an address we listen on (wildcards become loopback, IPv6 bracketed). */
export function hostForUrl(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export function listen(server: HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

/**
 * Counts requests whose response has not finished. The HTTP server's own `close` callback cannot be
 * awaited for this: it also waits for WebSocket connections upgraded to the embedded broker.
 */
export function trackInFlight(server: HttpServer): () => number {
  let inFlight = 0;
  server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
    inFlight += 1;
    res.once('close', () => {
      inFlight -= 1;
    });
  });
  return () => inFlight;
}

/** Stops accepting connections, waits for in-flight requests (up to `timeoutMs`), then drops the rest. */
export async function closeHttp(
  server: HttpServer,
  inFlight: () => number,
  timeoutMs: number,
): Promise<void> {
  server.close();
  const deadline = Date.now() + timeoutMs;
  while (inFlight() > 0 && Date.now() < deadline) {
    // Keep-alive sockets become idle once their response is sent; close them as they do.
    server.closeIdleConnections();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  server.closeAllConnections();
}
