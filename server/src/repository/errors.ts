/**
 * A unique index refused the write: MongoDB's duplicate-key error (11000), the one primitive that is
 * atomic on FerretDB too. FerretDB 1.24 answers inserts with 11000 but an *update* that collides with a
 * unique index as InternalError (code 1, "UNIQUE constraint failed: index …"): the same fact, so the same
 * answer (README.md here, "FerretDB").
 */
export function isDuplicateKey(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; errmsg?: unknown; message?: unknown };
  if (e.code === 11000) return true;
  const text = typeof e.errmsg === 'string' ? e.errmsg : typeof e.message === 'string' ? e.message : '';
  return e.code === 1 && /UNIQUE constraint failed: index /.test(text);
}
