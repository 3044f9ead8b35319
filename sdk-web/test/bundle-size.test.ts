// Size budgets of the built widget (issue: loader ≤ 4 KB gzip; loader + panel + every runtime
// dependency ≤ 60 KB gzip). `npm test` builds before it tests, so the bundles are fresh.
import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const dir = new URL('../dist/bundle/', import.meta.url);
const KB = 1024;

function gzipSize(name: string): number {
  const file = new URL(name, dir);
  if (!existsSync(file)) throw new Error(`${name} is not built: run npm run build`);
  return gzipSync(readFileSync(file), { level: 9 }).length;
}

describe('widget bundle sizes', () => {
  it('keeps the loader within 4 KB gzip', () => {
    const loader = gzipSize('kefu-loader.js');
    console.log(`kefu-loader.js: ${String(loader)} B gzip`);
    expect(loader).toBeLessThanOrEqual(4 * KB);
  });

  it('keeps loader + panel (Preact, client, MQTT, Protobuf) within 60 KB gzip', () => {
    const loader = gzipSize('kefu-loader.js');
    const panel = gzipSize('kefu-panel.js');
    console.log(`kefu-panel.js: ${String(panel)} B gzip; total ${String(loader + panel)} B`);
    expect(loader + panel).toBeLessThanOrEqual(60 * KB);
  });

  it('bundles every runtime dependency into the panel (no bare imports left for the browser)', () => {
    const code = readFileSync(new URL('kefu-panel.js', dir), 'utf8');
    expect(code).not.toMatch(/\bimport\s*(?:[\w$*{},\s]+from\s*)?["'](?!\.|\/|https?:)[^"']+["']/);
    expect(code).not.toMatch(/\bimport\(\s*["'](?!\.|\/|https?:)/);
    // No eval-like code (strict CSPs and WeChat forbid it).
    expect(code).not.toMatch(/\bnew Function\(|\beval\(/);
  });
});
