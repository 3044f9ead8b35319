// ULIDs (26 characters, Crockford base32: 48-bit millisecond time + 80 random bits): sortable by time,
// used for client_msg_id, message and conversation ids. Platform-free: the caller supplies random bytes
// (crypto.getRandomValues in browsers and Node, wx.getRandomValues-fed pools in mini-programs).
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export type RandomBytes = (length: number) => Uint8Array;

export function ulid(randomBytes: RandomBytes, now: number = Date.now()): string {
  if (!Number.isInteger(now) || now < 0 || now > 0xffffffffffff)
    throw new RangeError('ulid time out of range');
  let time = '';
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET.charAt(t % 32) + time;
    t = Math.floor(t / 32);
  }
  const bytes = randomBytes(10);
  if (bytes.length < 10) throw new RangeError('ulid needs 10 random bytes');
  // 80 bits → 16 characters of 5 bits each.
  let random = '';
  let buffer = 0;
  let bits = 0;
  for (let i = 0; i < 10; i++) {
    buffer = (buffer << 8) | (bytes[i] ?? 0);
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      random += ALPHABET.charAt((buffer >> bits) & 31);
    }
    buffer &= (1 << bits) - 1;
  }
  return time + random;
}

/** Milliseconds encoded in a ULID, or NaN if it is not one. */
export function ulidTime(id: string): number {
  if (!/^[0-9A-HJKMNP-TV-Z]{26}$/.test(id)) return Number.NaN;
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(id.charAt(i));
  return t;
}
