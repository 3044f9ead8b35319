import type { Model } from 'mongoose';

/**
 * Documents by `_id`, read in parallel. On MongoDB one `$in` query would do; FerretDB answers `$in`
 * (even on `_id`) by decoding every document of the collection, while `_id` reads are pushed down
 * (README.md, FerretDB).
 */
export async function findByIds<D extends { _id: string }>(
  model: Model<D>,
  ids: readonly string[],
  projection?: Record<string, 0 | 1>,
): Promise<D[]> {
  const unique = [...new Set(ids)];
  const found = await Promise.all(unique.map((id) => model.findById(id, projection).lean<D>()));
  return found.filter((d): d is NonNullable<typeof d> => d !== null);
}
