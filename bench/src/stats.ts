/** Percentile (nearest rank) of an ascending-sorted list; NaN for an empty one. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** CPU seconds (user + system) and resident memory of a process, from /proc (Linux). */
export async function processUsage(pid: number): Promise<{ cpuS: number; rssMb: number }> {
  const { readFile } = await import('node:fs/promises');
  const stat = (await readFile(`/proc/${String(pid)}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  // Fields after "comm)": state is index 0, utime index 11, stime index 12 (clock ticks, 100/s here).
  const ticks = Number(stat[11] ?? 0) + Number(stat[12] ?? 0);
  const status = await readFile(`/proc/${String(pid)}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuS: ticks / 100, rssMb: rssKb / 1024 };
}
