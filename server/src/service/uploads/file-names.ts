import { extensionOf } from './media-types.js';

const MAX_NAME = 255;

/**
 * The name shown and offered on download: the client's base name without directories, control or
 * bidirectional-override characters (which disguise `exe.txt` as `txt.exe`), at most 255 characters,
 * and always ending in the extension of the detected type, so a saved file opens as what it is.
 */
export function safeFileName(clientName: string, ext: string, fallbackBase: string): string {
  const base = clientName.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  let name = base.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '').trim();
  name = name.replace(/^\.+/, '');
  if (extensionOf(name) !== ext) {
    const dot = name.lastIndexOf('.');
    const stem = dot > 0 ? name.slice(0, dot) : name;
    name = `${stem || fallbackBase}.${ext}`;
  }
  if (name === `.${ext}`) name = `${fallbackBase}.${ext}`;
  const chars = Array.from(new Intl.Segmenter().segment(name), (s) => s.segment);
  if (chars.length > MAX_NAME) {
    const suffix = `.${ext}`;
    name = chars.slice(0, MAX_NAME - suffix.length).join('') + suffix;
  }
  return name;
}
