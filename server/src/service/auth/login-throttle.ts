import { RateLimitedError } from '../../errors.js';
import type { LoginFailureRepository } from '../../repository/login-failure-repository.js';

const MINUTE = 60_000;

/** Account lockout after repeated failed sign-ins (server/README.md, "Account lockout"). */
export interface LockoutPolicy {
  /** The failure of a streak from which the account is locked. */
  threshold: number;
  /** A streak ends when this long passes without a failure while the account is not locked. */
  quietMs: number;
  /** The lock after the threshold-th failure; doubled by each further failure of the streak. */
  firstLockMs: number;
  maxLockMs: number;
  /** Failures older than this are ignored and deleted. */
  keepMs: number;
}

export const LOCKOUT_POLICY: LockoutPolicy = {
  threshold: 5,
  quietMs: 15 * MINUTE,
  firstLockMs: MINUTE,
  maxLockMs: 15 * MINUTE,
  keepMs: 24 * 60 * MINUTE,
};

/** How often an instance deletes every account's expired failures (names never tried again). */
const SWEEP_INTERVAL_MS = 10 * MINUTE;

/**
 * When the lock of an account ends (epoch ms), from its failure times in ascending order; undefined when
 * the current streak has not reached the threshold. With the defaults: locked 1 min after the 5th
 * failure, 2, 4, 8 after the next ones, then 15 min after each.
 */
export function lockEnd(
  failures: readonly number[],
  policy: LockoutPolicy = LOCKOUT_POLICY,
): number | undefined {
  let streak = 0;
  let last = -Infinity;
  let end: number | undefined;
  for (const at of failures) {
    // Quiet time counts from the later of the last failure and the end of its lock.
    if (at - Math.max(last, end ?? -Infinity) > policy.quietMs) {
      streak = 0;
      end = undefined;
    }
    streak += 1;
    last = at;
    if (streak >= policy.threshold) {
      end = at + Math.min(policy.firstLockMs * 2 ** (streak - policy.threshold), policy.maxLockMs);
    }
  }
  return end;
}

function inWords(seconds: number): string {
  return seconds < 120 ? `${String(seconds)} s` : `${String(Math.ceil(seconds / 60))} min`;
}

/**
 * Per-account limit on password guessing, independent of the client address and shared by every
 * instance (the failures are in the database). Keyed by the username as typed, lower-cased, whether or
 * not such an account exists, so the answer never tells which usernames do.
 */
export class LoginThrottle {
  private lastSweep = 0;

  constructor(
    private readonly failures: LoginFailureRepository,
    private readonly policy: LockoutPolicy = LOCKOUT_POLICY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws RateLimitedError (with the seconds to wait) while the account is locked. */
  async assertNotLocked(username: string): Promise<void> {
    const key = accountKey(username);
    const now = this.now();
    const cutoff = now - this.policy.keepMs;
    const times = (await this.failures.listLoginFailures(key)).map((d) => d.getTime());
    if (times.length > 0 && (times[0] ?? now) < cutoff) {
      await this.failures.removeLoginFailures(key, new Date(cutoff));
    }
    const end = lockEnd(
      times.filter((t) => t >= cutoff),
      this.policy,
    );
    if (end !== undefined && end > now) {
      const retryAfterS = Math.ceil((end - now) / 1000);
      throw new RateLimitedError(
        `Too many failed sign-ins for this account; try again in ${inWords(retryAfterS)}`,
        retryAfterS,
      );
    }
  }

  async recordFailure(username: string): Promise<void> {
    const now = this.now();
    await this.failures.saveLoginFailure(accountKey(username), new Date(now));
    if (now - this.lastSweep >= SWEEP_INTERVAL_MS) {
      this.lastSweep = now;
      await this.failures.removeLoginFailuresBefore(new Date(now - this.policy.keepMs));
    }
  }

  /** A successful sign-in ends the streak. */
  async clear(username: string): Promise<void> {
    await this.failures.removeLoginFailures(accountKey(username));
  }
}

function accountKey(username: string): string {
  return username.trim().toLowerCase();
}
