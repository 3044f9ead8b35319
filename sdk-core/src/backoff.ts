/** "Full jitter" exponential backoff: random in [0, min(max, base·2^attempt)], at least `floor`. */
export function backoffDelay(
  attempt: number,
  random: () => number,
  base = 500,
  max = 30_000,
  floor = 100,
): number {
  const ceiling = Math.min(max, base * 2 ** Math.min(attempt, 16));
  return Math.max(floor, Math.floor(random() * ceiling));
}
