// Starting the demo mall: refused options, a taken port, stop(), and the widget snippet's URL.
import { describe, expect, it } from 'vitest';
import { MallOptionsError, startMall } from '../src/index.js';
import { mall } from './helpers.js';

describe('startMall', () => {
  it('refuses invalid options with a clear error', async () => {
    await expect(startMall({ kefuUrl: 'javascript:alert(1)', port: 0 })).rejects.toThrow(MallOptionsError);
    await expect(startMall({ kefuUrl: 'not a url', port: 0 })).rejects.toThrow(
      /kefuUrl must be an absolute http\(s\) URL/,
    );
    await expect(startMall({ kefuUrl: 'http://k.example.com/?x=1', port: 0 })).rejects.toThrow(
      /without credentials, query/,
    );
    await expect(startMall({ kefuUrl: 'http://k.example.com', port: 70000 })).rejects.toThrow(
      /port must be an integer/,
    );
    await expect(
      startMall({ kefuUrl: 'http://k.example.com', port: 0, identitySecret: 'short' }),
    ).rejects.toThrow(/at least 16 characters/);
    await expect(
      startMall({ kefuUrl: 'http://k.example.com', port: 0, publicUrl: 'ftp://x' }),
    ).rejects.toThrow(/publicUrl/);
  });

  it('fails when the port is taken, and stop() closes the mall', async () => {
    const first = await mall();
    const port = Number(new URL(first.url).port);
    await expect(mall({ port })).rejects.toThrow(/EADDRINUSE/);
    await first.stop();
    await expect(fetch(`${first.url}/`)).rejects.toThrow();
  });

  it('strips a trailing slash from the Kefu URL in the snippet', async () => {
    const other = await mall({ kefuUrl: 'https://kefu.example.com/' });
    try {
      const text = await (await fetch(`${other.url}/`)).text();
      expect(text).toContain('<script async src="https://kefu.example.com/sdk/v1/kefu-loader.js"></script>');
      expect(text).toContain('"server":"https://kefu.example.com"');
    } finally {
      await other.stop();
    }
  });
});
