import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rate-limit.ts'

describe('RateLimiter', () => {
  it('allows max hits per window per key, then says when to retry', () => {
    let now = 0
    const rl = new RateLimiter(2, 60_000, () => now)
    expect(rl.take('a').ok).toBe(true)
    now = 10_000
    expect(rl.take('a').ok).toBe(true)
    expect(rl.take('b').ok).toBe(true) // keys are independent
    now = 20_000
    expect(rl.take('a')).toEqual({ ok: false, retryAfterS: 40 })
    now = 60_000 // the first hit has left the window
    expect(rl.take('a').ok).toBe(true)
  })
})
