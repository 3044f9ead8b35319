/** What the queue priority is computed from (the customer as the mall signed it). */
export interface PriorityFacts {
  vip?: boolean | undefined;
  level?: number | undefined;
  tags?: readonly string[] | undefined;
}

/**
 * Queue priority (REFERENCE.md §A "Queue"): customers flagged queue_first — here: carrying one of the
 * tags the admin names as queue-first, since tags are signed by the mall and cannot be forged by the
 * browser — come first, then VIPs by their level (0–99), then everyone else; within a priority, the
 * longest waiting first (the queue's secondary order).
 */
export function queuePriority(
  customer: PriorityFacts | null | undefined,
  queueFirstTags: readonly string[],
): number {
  if (!customer) return 0;
  const queueFirst = (customer.tags ?? []).some((t) => queueFirstTags.includes(t));
  const level = Math.max(0, Math.min(99, Math.floor(customer.level ?? 0)));
  return (queueFirst ? 1_000 : 0) + (customer.vip ? 100 + level : 0);
}
