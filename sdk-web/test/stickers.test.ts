// The built-in sticker pack's pictures (sdk-web/stickers/kefu, served by the Kefu server next to the
// widget bundle): one small, safe SVG per id of sdk-core's KEFU_STICKER_PACK, copied by the build.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { KEFU_STICKER_PACK } from '@kefu/sdk-core';

const source = new URL('../stickers/kefu/', import.meta.url);
const built = new URL('../dist/bundle/stickers/kefu/', import.meta.url);
const ids = KEFU_STICKER_PACK.stickers.map((s) => s.id);

describe('the kefu sticker pictures', () => {
  it('has exactly one SVG per sticker of the pack', () => {
    expect(readdirSync(source).sort()).toEqual(ids.map((id) => `${id}.svg`).sort());
  });

  it('keeps each picture small and self-contained: no script, handler, link, external reference or text', () => {
    for (const id of ids) {
      const svg = readFileSync(new URL(`${id}.svg`, source), 'utf8');
      expect(svg, id).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 96 96"/);
      expect(svg.length, id).toBeLessThan(2048);
      expect(svg, id).not.toMatch(/<script|\son\w+=|href|url\(|<text|<image|<foreignObject/i);
    }
  });

  it('draws each at 96 × 96 with something visible', async () => {
    for (const id of ids) {
      const image = sharp(readFileSync(new URL(`${id}.svg`, source)));
      expect(await image.metadata(), id).toMatchObject({ width: 96, height: 96 });
      const { channels } = await image.stats();
      expect(channels[3]?.max, id).toBe(255); // some opaque pixels
    }
  });

  it('is copied next to the widget bundle by the build', () => {
    if (!existsSync(built)) throw new Error('stickers are not built: run npm run build');
    for (const id of ids)
      expect(
        readFileSync(new URL(`${id}.svg`, built)).equals(readFileSync(new URL(`${id}.svg`, source))),
        id,
      ).toBe(true);
  });
});
