import { createServer } from 'node:net';

/** Asks the OS for a free TCP port on loopback. Another process may take it before it is used. */
export function getFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      if (address === null || typeof address === 'string') {
        server.close();
        reject(new Error('could not read the port of a listening socket'));
        return;
      }
      server.close(() => {
        resolve(address.port);
      });
    });
  });
}
