/** MongoDB's duplicate-key error (unique index), the one primitive that is atomic on FerretDB too. */
export function isDuplicateKey(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 11000;
}

/** Which unique index a duplicate-key error came from (its key fields), when the server says. */
export function duplicateKeyFields(err: unknown): string[] {
  const e = err as { keyPattern?: Record<string, unknown>; errmsg?: unknown; message?: unknown };
  if (e.keyPattern) return Object.keys(e.keyPattern);
  const text = typeof e.errmsg === 'string' ? e.errmsg : typeof e.message === 'string' ? e.message : '';
  const match = /index: (\S+)/.exec(text);
  return match?.[1] ? match[1].replace(/_-?1/g, ' ').trim().split(/\s+/) : [];
}
