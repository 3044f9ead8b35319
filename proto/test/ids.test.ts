import { describe, expect, it } from 'vitest';
import { ulid, ulidTime } from '../src/ids.js';

const rand = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(Math.random() * 256));

describe('ulid', () => {
  it('is 26 Crockford base32 characters that encode the time', () => {
    const id = ulid(rand, 1_800_000_000_123);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(ulidTime(id)).toBe(1_800_000_000_123);
  });

  it('sorts by time and differs by randomness', () => {
    const a = ulid(rand, 1000);
    const b = ulid(rand, 1001);
    expect(a < b).toBe(true);
    expect(ulid(rand, 5)).not.toBe(ulid(rand, 5));
  });

  it('encodes all 80 random bits', () => {
    expect(ulid((n) => new Uint8Array(n).fill(0xff), 0)).toBe('0000000000ZZZZZZZZZZZZZZZZ');
    expect(ulid((n) => new Uint8Array(n), 0)).toBe('00000000000000000000000000');
  });

  it('rejects bad input', () => {
    expect(() => ulid(rand, -1)).toThrow(RangeError);
    expect(() => ulid(() => new Uint8Array(3))).toThrow(RangeError);
    expect(ulidTime('not-a-ulid')).toBeNaN();
  });
});
