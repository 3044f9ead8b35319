// Size budget of the shipped mini-program SDK (issue 18: kefu-sdk.js ≤ 40 KB gzip; it was ~128 KB with
// mqtt.js's browser build). `npm test` builds before it tests, so the bundle is fresh.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '../miniprogram_dist');
const KB = 1024;

describe('mini-program bundle sizes', () => {
  it('keeps the shared SDK chunk (sdk-core, MQTT client, Protobuf, platform adapters) within 40 KB gzip', () => {
    const file = join(DIST, 'kefu-sdk.js');
    if (!existsSync(file)) throw new Error('kefu-sdk.js is not built: run npm run build');
    const code = readFileSync(file);
    const gzip = gzipSync(code, { level: 9 }).length;
    console.log(`kefu-sdk.js: ${String(code.length)} B, ${String(gzip)} B gzip`);
    expect(gzip).toBeLessThanOrEqual(40 * KB);
  });
});
