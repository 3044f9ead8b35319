/**
 * Allocation modes (REFERENCE.md §A): which agent, among the online ones below their reception limit,
 * a chat goes to first. Pure functions; the seats (seats.ts) make the choice safe under concurrency.
 */
export const ALLOCATION_MODES = ['saturation', 'round_robin', 'longest_idle'] as const;
export type AllocationMode = (typeof ALLOCATION_MODES)[number];

export interface Candidate {
  uid: string;
  /** Open conversations now. */
  open: number;
  /** Reception limit (接待上限), > 0. */
  limit: number;
  /** Account creation (round-robin order). */
  createdAt: Date;
  /** When the agent last got a chat (longest-idle); never: undefined. */
  lastAssignedAt?: Date | undefined;
}

/** Where round-robin stopped: the last agent it assigned (kept across restarts and instances). */
export interface RoundRobinMark {
  uid: string;
  createdAtMs: number;
}

/**
 * Candidates in the order they should be tried (agents at their limit are left out):
 * - saturation (饱和度): lowest open ÷ limit first, ties in random order;
 * - round_robin (轮询): by account creation time, starting after the last agent assigned, wrapping round;
 * - longest_idle: the agent whose last assignment is oldest first (never assigned: first of all), ties by
 *   creation time.
 */
export function rankCandidates(
  mode: AllocationMode,
  candidates: readonly Candidate[],
  options: { random?: () => number; roundRobin?: RoundRobinMark | null } = {},
): Candidate[] {
  const withRoom = candidates.filter((c) => c.limit > 0 && c.open < c.limit);
  const byCreation = (a: Candidate, b: Candidate): number =>
    a.createdAt.getTime() - b.createdAt.getTime() || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0);
  if (mode === 'round_robin') {
    const ordered = [...withRoom].sort(byCreation);
    const mark = options.roundRobin;
    if (!mark) return ordered;
    const after = ordered.findIndex(
      (c) =>
        c.createdAt.getTime() > mark.createdAtMs ||
        (c.createdAt.getTime() === mark.createdAtMs && c.uid > mark.uid),
    );
    return after <= 0 ? ordered : [...ordered.slice(after), ...ordered.slice(0, after)];
  }
  if (mode === 'longest_idle') {
    return [...withRoom].sort(
      (a, b) => (a.lastAssignedAt?.getTime() ?? -1) - (b.lastAssignedAt?.getTime() ?? -1) || byCreation(a, b),
    );
  }
  // Saturation: shuffle first, then a stable sort by ratio keeps ties in random order.
  const random = options.random ?? Math.random;
  const shuffled = [...withRoom];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j] as Candidate, shuffled[i] as Candidate];
  }
  return shuffled.sort((a, b) => a.open / a.limit - b.open / b.limit);
}
