import { ValidationError } from '../../errors.js';

// Checks on a multipart body that busboy does not make itself (it would cut or accept these silently).

/** A part's header block: a file name and a type need well under 1 KiB. */
export const MAX_PART_HEADER_BYTES = 8 * 1024;
export const MAX_PART_HEADER_LINES = 20;

// RFC 2046 §5.1.1: 1-70 of these characters; spaces only inside a quoted value, never last.
const BCHARS = "0-9A-Za-z'()+_,\\-./:=?";
const QUOTED_BOUNDARY = new RegExp(`^"([${BCHARS} ]{0,69}[${BCHARS}])"$`);
const TOKEN_BOUNDARY = new RegExp(`^([${BCHARS}]{1,70})$`);

/** The boundary of a multipart Content-Type; a 400 when it is missing, repeated or not RFC 2046's. */
export function boundaryOf(contentType: string): string {
  const values = contentType
    .split(';')
    .slice(1)
    .map((param) => /^\s*boundary\s*=\s*(.*?)\s*$/i.exec(param)?.[1])
    .filter((value) => value !== undefined);
  if (values.length !== 1) {
    throw new ValidationError(
      values.length
        ? 'The Content-Type names several boundaries'
        : 'The Content-Type has no multipart boundary',
      { reason: 'bad_boundary' },
    );
  }
  const value = values[0] ?? '';
  const boundary = QUOTED_BOUNDARY.exec(value)?.[1] ?? TOKEN_BOUNDARY.exec(value)?.[1];
  if (boundary === undefined) {
    throw new ValidationError(
      "The multipart boundary must be 1-70 letters, digits or '()+_,-./:=? (RFC 2046)",
      { reason: 'bad_boundary' },
    );
  }
  return boundary;
}

/**
 * Watches the raw body for part header blocks above MAX_PART_HEADER_BYTES or MAX_PART_HEADER_LINES:
 * busboy would silently cut them and parse what is left. Returns the error to answer with, if any.
 * Holds at most a delimiter's length of bytes between chunks.
 */
export function partHeaderGuard(boundary: string): (chunk: Buffer) => ValidationError | undefined {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const terminator = Buffer.from('\r\n\r\n');
  // Busboy reads the body as if a CRLF came first, so the opening delimiter needs no preceding line.
  let carry = Buffer.from('\r\n');
  let state: 'body' | 'delimiter' | 'header' | 'done' = 'body';
  let bytes = 0;
  let lines = 0;
  const countLines = (buf: Buffer, from: number, to: number): void => {
    for (let at = buf.indexOf('\r\n', from); at !== -1 && at < to; at = buf.indexOf('\r\n', at + 2)) lines++;
  };
  const tooLarge = (): ValidationError | undefined =>
    bytes > MAX_PART_HEADER_BYTES || lines > MAX_PART_HEADER_LINES
      ? new ValidationError(
          `A part's headers exceed ${String(MAX_PART_HEADER_BYTES)} bytes or ${String(MAX_PART_HEADER_LINES)} lines`,
          { reason: 'headers_too_large' },
        )
      : undefined;

  return (chunk) => {
    if (state === 'done') return undefined;
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      if (state === 'body') {
        const at = buf.indexOf(delimiter, pos);
        if (at === -1) {
          carry = Buffer.from(buf.subarray(Math.max(pos, buf.length - delimiter.length + 1)));
          return undefined;
        }
        pos = at + delimiter.length;
        state = 'delimiter';
      } else if (state === 'delimiter') {
        if (buf.length - pos < 2) {
          carry = Buffer.from(buf.subarray(pos));
          return undefined;
        }
        // "--" right after a delimiter closes the body; what follows is an epilogue nobody reads.
        if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) {
          state = 'done';
          return undefined;
        }
        state = 'header';
        bytes = 0;
        lines = 0;
      } else {
        // In a header block ('done' never loops: it returns as soon as it is set).
        const at = buf.indexOf(terminator, pos);
        // Keep 3 bytes back: a terminator may straddle the next chunk. Lines are counted by their CR.
        const end = at === -1 ? Math.max(pos, buf.length - 3) : at;
        bytes += end - pos;
        countLines(buf, pos, end);
        const problem = tooLarge();
        if (problem) return problem;
        if (at === -1) {
          carry = Buffer.from(buf.subarray(end));
          return undefined;
        }
        pos = at + terminator.length;
        state = 'body';
      }
    }
  };
}
