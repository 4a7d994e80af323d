/**
 * A sliding-window rate limiter kept in memory: enough for one process (the embedded deployment);
 * several API processes behind a balancer would each count on their own.
 */
export interface RateLimitResult {
  ok: boolean
  /** whole seconds until the oldest counted hit leaves the window (when !ok) */
  retryAfterS: number
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>()

  constructor(readonly max: number, readonly windowMs: number, private readonly now: () => number = Date.now) {}

  /** Counts a hit for `key` unless it is over the limit. */
  take(key: string): RateLimitResult {
    const t = this.now()
    const recent = (this.hits.get(key) ?? []).filter((h) => t - h < this.windowMs)
    if (recent.length >= this.max) {
      this.hits.set(key, recent)
      return { ok: false, retryAfterS: Math.max(1, Math.ceil((recent[0]! + this.windowMs - t) / 1000)) }
    }
    recent.push(t)
    this.hits.set(key, recent)
    // keep memory bounded: drop idle keys now and then
    if (this.hits.size > 10_000) for (const [k, v] of this.hits) if (!v.some((h) => t - h < this.windowMs)) this.hits.delete(k)
    return { ok: true, retryAfterS: 0 }
  }
}
