/**
 * Counts failed sign-ins per (email, IP) in this process: after `maxFailures` within `windowMs`,
 * further attempts are refused until the window has passed. In memory, so each API instance counts
 * on its own and a restart forgets; enough to slow down guessing, not a distributed limiter.
 */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; resetAt: number }>();

  constructor(
    private readonly maxFailures = 5,
    private readonly windowMs = 15 * 60_000,
    private readonly now: () => number = Date.now,
    /** Entries kept before expired ones are swept (memory stays bounded under a spray of emails). */
    private readonly sweepAbove = 10_000,
  ) {}

  private key(email: string, ip: string | null): string {
    return `${email.toLowerCase()}\u0000${ip ?? '-'}`;
  }

  /** Milliseconds until (email, IP) may try again; 0 when it may now. */
  blockedFor(email: string, ip: string | null): number {
    const entry = this.failures.get(this.key(email, ip));
    if (!entry) return 0;
    const left = entry.resetAt - this.now();
    if (left <= 0) {
      this.failures.delete(this.key(email, ip));
      return 0;
    }
    return entry.count >= this.maxFailures ? left : 0;
  }

  recordFailure(email: string, ip: string | null): void {
    const key = this.key(email, ip);
    const now = this.now();
    const entry = this.failures.get(key);
    if (!entry || entry.resetAt <= now) this.failures.set(key, { count: 1, resetAt: now + this.windowMs });
    else entry.count += 1;
    if (this.failures.size > this.sweepAbove) this.sweep(now);
  }

  /** A successful sign-in clears the count. */
  recordSuccess(email: string, ip: string | null): void {
    this.failures.delete(this.key(email, ip));
  }

  get size(): number {
    return this.failures.size;
  }

  private sweep(now: number): void {
    for (const [key, entry] of this.failures) if (entry.resetAt <= now) this.failures.delete(key);
  }
}
