// The figures bench:connections prints: per-client timings as percentiles, memory per connection, and
// the peaks of the processes' resources, sampled through the run, against their limits.
import { percentile, round } from './stats.js';
import type { Customer } from './connections-customers.js';
import { sampleProcess, type ProcessSample } from './connections-stack.js';

export function spread(values: number[]): { p50: number; p99: number; max: number } {
  values.sort((a, b) => a - b);
  return {
    p50: round(percentile(values, 50)),
    p99: round(percentile(values, 99)),
    max: round(values[values.length - 1] ?? Number.NaN),
  };
}

/** The connect phase from the customers' side. */
export function connectFigures(customers: readonly Customer[], seconds: number) {
  const online = customers.filter((c) => c.onlineAt !== undefined);
  const failures = new Map<string, number>();
  for (const c of customers) {
    if (c.failure === undefined) continue;
    // One key per kind of failure, not per message detail.
    const kind = c.failure.replace(/\d+ ms/, 'N ms');
    failures.set(kind, (failures.get(kind) ?? 0) + 1);
  }
  return {
    seconds: round(seconds),
    connected: online.length,
    per_s: round(online.length / seconds),
    failures: customers.length - online.length,
    failure_reasons: Object.fromEntries(failures),
    // Attempts the clients retried (backoff) before their first success.
    retries: customers.reduce((n, c) => n + c.retries, 0),
    session_ms: spread(
      customers.filter((c) => c.sessionAt !== undefined).map((c) => (c.sessionAt ?? 0) - c.startedAt),
    ),
    online_ms: spread(online.map((c) => (c.onlineAt ?? 0) - c.startedAt)),
  };
}

/** The fan-out from the customers' side: first to last delivery, and each client's wait. */
export function fanoutFigures(customers: readonly Customer[], startedAt: number) {
  const got = customers.filter((c) => c.receivedAt !== undefined && c.sentAt !== undefined);
  const arrivals = got.map((c) => c.receivedAt ?? 0);
  const first = arrivals.reduce((a, b) => Math.min(a, b), Number.POSITIVE_INFINITY);
  const last = arrivals.reduce((a, b) => Math.max(a, b), 0);
  return {
    delivered: got.length,
    duplicated: customers.filter((c) => c.received > 1).length,
    first_to_last_ms: got.length ? round(last - first) : 0,
    // From the first send of the fan-out to this client's delivery.
    since_start_ms: spread(arrivals.map((t) => t - startedAt)),
    // From the agent's send of this client's message to its delivery.
    send_to_delivery_ms: spread(got.map((c) => (c.receivedAt ?? 0) - (c.sentAt ?? 0))),
  };
}

interface Peak {
  rssMb: number;
  openFds: number;
  fdLimit: number;
}

/**
 * Samples processes every `everyMs` and keeps each one's peak RSS and open file descriptors; a process
 * that went away (it crashed: a limit) keeps its last figures and is reported as gone.
 */
export class PeakSampler {
  private readonly peaks = new Map<string, Peak>();
  private readonly gone = new Set<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: Record<string, number>,
    everyMs = 1_000,
  ) {
    this.timer = setInterval(() => void this.sample(), everyMs);
  }

  async sample(): Promise<Record<string, ProcessSample | undefined>> {
    const out: Record<string, ProcessSample | undefined> = {};
    await Promise.all(
      Object.entries(this.pids).map(async ([name, pid]) => {
        const s = await sampleProcess(pid).catch(() => undefined);
        out[name] = s;
        if (!s) {
          this.gone.add(name);
          return;
        }
        const p = this.peaks.get(name);
        this.peaks.set(name, {
          rssMb: Math.max(p?.rssMb ?? 0, s.rssMb),
          openFds: Math.max(p?.openFds ?? 0, s.openFds),
          fdLimit: s.fdLimit,
        });
      }),
    );
    return out;
  }

  stop(): Record<string, { peak_rss_mb: number; peak_open_fds: number; fd_limit: number; exited: boolean }> {
    clearInterval(this.timer);
    return Object.fromEntries(
      Object.keys(this.pids).map((name) => {
        const p = this.peaks.get(name);
        return [
          name,
          {
            peak_rss_mb: round(p?.rssMb ?? 0),
            peak_open_fds: p?.openFds ?? 0,
            fd_limit: p?.fdLimit ?? 0,
            exited: this.gone.has(name),
          },
        ];
      }),
    );
  }
}

/** RSS growth per connection between two samples, in KiB. */
export function perConnectionKb(
  before: ProcessSample | undefined,
  after: ProcessSample | undefined,
  n: number,
) {
  if (!before || !after || n === 0) return null;
  return round(((after.rssMb - before.rssMb) * 1024) / n);
}
