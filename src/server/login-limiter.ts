/**
 * Login attempts are rate limited (issue #11 section 2): failures are counted per client address and per
 * user name in a sliding window, so neither guessing many passwords for one account (from many addresses)
 * nor many accounts from one address gets far. A success clears the user name's count from that address.
 */

export interface LoginLimits {
  /** Failures allowed per user name in the window (from all addresses together). */
  perUser: number;
  /** Failures allowed per client address in the window. */
  perAddress: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perUser: 10, perAddress: 30, windowMs: 15 * 60 * 1000 };

/** Most keys tracked: beyond it the oldest are forgotten, so a flood of made-up names costs bounded memory. */
const MAX_KEYS = 100_000;

export class LoginLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /** Seconds until a login for `username` from `address` may be tried again; 0 when it may now. */
  retryAfter(address: string, username: string, now: number): number {
    const wait = (key: string, allowed: number): number => {
      const times = this.recent(key, now);
      return times.length < allowed ? 0 : Math.ceil((times[0]! + this.limits.windowMs - now) / 1000);
    };
    return Math.max(
      wait(`a:${address}`, this.limits.perAddress),
      wait(`u:${username.toLowerCase()}`, this.limits.perUser),
    );
  }

  fail(address: string, username: string, now: number): void {
    for (const key of [`a:${address}`, `u:${username.toLowerCase()}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key);
      this.failures.set(key, times);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value!);
  }

  succeed(username: string): void {
    this.failures.delete(`u:${username.toLowerCase()}`);
  }

  private recent(key: string, now: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (times.length === 0) this.failures.delete(key);
    return times;
  }
}
