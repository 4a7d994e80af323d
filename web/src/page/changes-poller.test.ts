import { describe, expect, test } from 'vitest'
import type { Changes } from '../api.ts'
import { changedSets, createChangePoller, MAX_BACKOFF_MS, nextPollDelay, POLL_MS, type PollerDeps } from './changes-poller.ts'

const v = (stations: number, roads = 1, regions = 1): Changes => ({ stations, roads, regions })

/** A poller on a hand-driven clock and a scripted server. */
function rig(answers: (Error | Changes | null)[]) {
  const timers: { fn: () => void; ms: number }[] = []
  const sent: (string | null)[] = []
  let hidden = false
  let visibility = () => {}
  const deps: PollerDeps = {
    async fetch(etag) {
      sent.push(etag)
      const a = answers.shift() ?? null
      if (a instanceof Error) throw a
      return a && { changes: a, etag: `"${a.stations}"` }
    },
    hidden: () => hidden,
    onVisibility: (fn) => ((visibility = fn), () => {}),
    setTimeout: (fn, ms) => timers.push({ fn, ms }) - 1,
    clearTimeout: (h) => (timers[h as number] = { fn: () => {}, ms: -1 }),
  }
  const poller = createChangePoller(deps)
  const flush = () => new Promise((r) => setTimeout(r, 0))
  return {
    poller, timers, sent,
    /** runs the last scheduled timer and waits for its poll */
    async tick() {
      const t = timers.at(-1)!
      t.fn()
      await flush()
      return t.ms
    },
    flush,
    setHidden(h: boolean) {
      hidden = h
      visibility()
    },
  }
}

describe('nextPollDelay', () => {
  test('polls every interval while the server answers, and backs off doubling to a minute when it does not', () => {
    expect(nextPollDelay(0)).toBe(POLL_MS)
    expect([1, 2, 3, 4].map((n) => nextPollDelay(n, 2500))).toEqual([5000, 10000, 20000, 40000])
    expect(nextPollDelay(5, 2500)).toBe(MAX_BACKOFF_MS)
    expect(nextPollDelay(50, 2500)).toBe(MAX_BACKOFF_MS)
  })
})

describe('changedSets', () => {
  test('names the counters that moved; the first answer is the baseline', () => {
    expect(changedSets(null, v(5))).toEqual([])
    expect(changedSets(v(5), v(5))).toEqual([])
    expect(changedSets(v(5), v(6))).toEqual(['stations'])
    expect(changedSets(v(5, 1, 1), v(6, 2, 1))).toEqual(['stations', 'roads'])
  })
})

describe('createChangePoller', () => {
  test('sends the last ETag, tells subscribers only when their counter moves, and backs off on failures', async () => {
    const r = rig([v(1), null, v(2), new Error('down'), new Error('down'), v(2, 2), v(3, 2)])
    const seen: number[] = []
    r.poller.on('stations', (c) => seen.push(c.stations))
    await r.flush() // the first subscriber starts it: baseline, no event
    expect(seen).toEqual([])
    expect(await r.tick()).toBe(POLL_MS) // 304
    expect(await r.tick()).toBe(POLL_MS) // stations 1 → 2
    expect(seen).toEqual([2])
    expect(r.sent.slice(0, 3)).toEqual([null, '"1"', '"1"'])
    await r.tick() // fails
    expect(r.poller.failures()).toBe(1)
    expect(await r.tick()).toBe(5000) // fails again, after backing off
    expect(r.timers.at(-1)!.ms).toBe(10_000)
    await r.tick() // roads moved, stations did not
    expect(seen).toEqual([2])
    expect(r.poller.failures()).toBe(0)
    expect(r.timers.at(-1)!.ms).toBe(POLL_MS)
    await r.tick()
    expect(seen).toEqual([2, 3])
  })

  test('stops polling while the tab is hidden and polls at once when it shows again', async () => {
    const r = rig([v(1), v(1), v(4)])
    const seen: number[] = []
    r.poller.on('stations', (c) => seen.push(c.stations))
    await r.flush()
    const scheduled = r.timers.length
    r.setHidden(true)
    expect(r.timers.at(-1)!.ms).toBe(-1) // the pending poll was cancelled
    await r.flush()
    expect(r.timers.length).toBe(scheduled)
    r.setHidden(false)
    await r.flush()
    expect(r.sent.length).toBe(2)
    await r.tick()
    expect(seen).toEqual([4])
  })
})
