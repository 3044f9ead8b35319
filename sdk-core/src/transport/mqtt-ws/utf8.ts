// UTF-8 for MQTT strings (§1.5.3) without TextEncoder/TextDecoder, which WeChat's JS engines lack
// (sdk-miniprogram/test/vm-runtime.test.ts): the URI functions are the language's own UTF-8 codec.

/** The string's UTF-8 bytes; a lone surrogate becomes U+FFFD, as TextEncoder does. */
export function encodeUtf8(value: string): Uint8Array {
  // encodeURIComponent throws on a lone surrogate, where TextEncoder writes U+FFFD.
  const wellFormed = value.replace(/[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]/g, (pair) =>
    pair.length > 1 ? pair : '\ufffd',
  );
  const escaped = encodeURIComponent(wellFormed);
  const out: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    if (escaped[i] === '%') {
      out.push(parseInt(escaped.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      out.push(escaped.charCodeAt(i));
    }
  }
  return Uint8Array.from(out);
}

/**
 * The string the bytes encode, or undefined when they are not well-formed UTF-8: decodeURIComponent
 * rejects what TextDecoder's `fatal` option does (stray or missing continuation bytes, overlongs,
 * surrogates, code points above U+10FFFF).
 */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  let escaped = '';
  for (const byte of bytes) escaped += (byte < 16 ? '%0' : '%') + byte.toString(16);
  try {
    return decodeURIComponent(escaped);
  } catch {
    return undefined;
  }
}
