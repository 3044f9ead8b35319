// The MQTT client's own UTF-8 codec (WeChat's engines have no TextEncoder/TextDecoder) must agree with
// the platform's: TextEncoder for encoding, TextDecoder with `fatal` for what it accepts and rejects.
import { describe, expect, it } from 'vitest';
import { decodeUtf8, encodeUtf8 } from '../src/transport/mqtt-ws/utf8.js';

const encoder = new TextEncoder();
const strict = new TextDecoder('utf-8', { fatal: true });

/** TextDecoder's verdict: the string, or undefined where `fatal` throws. */
function platformDecode(bytes: Uint8Array): string | undefined {
  try {
    return strict.decode(bytes);
  } catch {
    return undefined;
  }
}

const samples = [
  '',
  'kefu/v1/c/01JD0000000000000000000000/down',
  '积分商城 🎁 emoji 👋🏻 and 𝒳',
  '\u0000\u007f\u0080\u07ff\u0800\ud7ff\ue000\uffff',
  '\u{10000}\u{10ffff}',
];

describe('encodeUtf8', () => {
  it.each(samples)('encodes %j as TextEncoder does', (value) => {
    expect([...encodeUtf8(value)]).toEqual([...encoder.encode(value)]);
  });

  it.each(['a\ud800b', '\udc00', 'x\ud83d', '\udc00\ud800'])(
    'turns the lone surrogates of %j into U+FFFD, as TextEncoder does',
    (value) => {
      expect([...encodeUtf8(value)]).toEqual([...encoder.encode(value)]);
    },
  );
});

describe('decodeUtf8', () => {
  it.each(samples)('decodes %j back', (value) => {
    expect(decodeUtf8(encoder.encode(value))).toBe(value);
  });

  it.each([
    ['a stray continuation byte', [0x80]],
    ['an overlong 2-byte form', [0xc0, 0x80]],
    ['an overlong 3-byte form', [0xe0, 0x80, 0x80]],
    ['an overlong 4-byte form', [0xf0, 0x8f, 0xbf, 0xbf]],
    ['an encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['a lead byte no sequence starts with', [0xf5, 0x80, 0x80, 0x80]],
    ['a truncated sequence', [0x61, 0xe2, 0x82]],
    ['a missing continuation byte', [0xc3, 0x28]],
    ['0xff', [0xff]],
  ])('rejects %s, as TextDecoder with fatal does', (_what, bytes) => {
    const input = Uint8Array.from(bytes);
    expect(platformDecode(input)).toBeUndefined();
    expect(decodeUtf8(input)).toBeUndefined();
  });

  it('agrees with TextDecoder on every 1- and 2-byte input', () => {
    const mismatches: number[][] = [];
    for (let a = 0; a < 256; a++) {
      const one = Uint8Array.of(a);
      if (decodeUtf8(one) !== platformDecode(one)) mismatches.push([a]);
      for (let b = 0; b < 256; b++) {
        const two = Uint8Array.of(a, b);
        if (decodeUtf8(two) !== platformDecode(two)) mismatches.push([a, b]);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('agrees with TextDecoder on 50,000 random 3- to 8-byte inputs biased towards multi-byte forms', () => {
    // A fixed-seed generator (xorshift32), so a failure reproduces.
    let seed = 0x9e3779b9;
    const next = (): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const interesting = [0x00, 0x7f, 0x80, 0xbf, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5];
    const mismatches: number[][] = [];
    for (let n = 0; n < 50_000; n++) {
      const length = 3 + (next() % 6);
      const bytes = Uint8Array.from({ length }, () =>
        next() % 2 ? (interesting[next() % interesting.length] ?? 0) : next() % 256,
      );
      if (decodeUtf8(bytes) !== platformDecode(bytes)) mismatches.push([...bytes]);
    }
    expect(mismatches.slice(0, 5)).toEqual([]);
  });
});
