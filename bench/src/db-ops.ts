// Database operations per persisted message, from the servers' /metrics (DB_COMMAND_METRICS: the driver's
// command monitoring counts every command with its collection and BSON bytes; server/src/infra/
// db-command-metrics.ts). Scraped before and after the measured window; the difference is divided by
// the messages persisted in it.

export const METRICS_TOKEN = 'bench-metrics-token-0123456789';

/** The driver's commands that only read, and the ones that write. */
const READS = new Set(['find', 'getMore', 'aggregate', 'count', 'distinct']);
const WRITES = new Set(['insert', 'update', 'delete', 'findAndModify']);

type Samples = Map<string, number>;

/** Sums the kefu_db_* counters of every server, keyed `metric|command|collection`. */
export async function scrapeDbOps(baseUrls: readonly string[]): Promise<Samples> {
  const out: Samples = new Map();
  for (const base of baseUrls) {
    const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    for (const line of (await res.text()).split('\n')) {
      const m = /^(kefu_db_\w+)\{([^}]*)\} (\S+)$/.exec(line);
      if (!m) continue;
      const labels = new Map<string, string>();
      for (const x of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) labels.set(x[1] ?? '', x[2] ?? '');
      const key = `${m[1] ?? ''}|${labels.get('command') ?? ''}|${labels.get('collection') ?? ''}`;
      out.set(key, (out.get(key) ?? 0) + Number(m[3]));
    }
  }
  return out;
}

const per = (n: number, messages: number): number => Math.round((n / Math.max(1, messages)) * 100) / 100;

/** Reads, writes and bytes per persisted message between two scrapes, with the commands behind them. */
export function dbOpsPerMessage(before: Samples, after: Samples, messages: number) {
  let reads = 0;
  let writes = 0;
  let bytesWritten = 0;
  let bytesRead = 0;
  const byCommand: Record<string, number> = {};
  for (const [key, value] of after) {
    const delta = value - (before.get(key) ?? 0);
    if (delta <= 0) continue;
    const [metric, command = '', collection = ''] = key.split('|');
    if (metric === 'kefu_db_commands_total') {
      if (READS.has(command)) reads += delta;
      if (WRITES.has(command)) writes += delta;
      byCommand[collection ? `${command} ${collection}` : command] = per(delta, messages);
    } else if (metric === 'kefu_db_command_bytes_total' && WRITES.has(command)) bytesWritten += delta;
    else if (metric === 'kefu_db_reply_bytes_total' && READS.has(command)) bytesRead += delta;
  }
  return {
    reads: per(reads, messages),
    writes: per(writes, messages),
    bytes_written: Math.round(bytesWritten / Math.max(1, messages)),
    bytes_read: Math.round(bytesRead / Math.max(1, messages)),
    by_command: Object.fromEntries(Object.entries(byCommand).sort((a, b) => b[1] - a[1])),
  };
}
