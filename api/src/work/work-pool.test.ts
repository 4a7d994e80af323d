/**
 * Heavy planning work runs off the request thread: the API keeps answering while a city-wide siting
 * computes, a request past the time budget gets 503 over_budget, and a request whose client goes
 * away stops its worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { DEFAULT_LIMITS } from '../http/env.ts'
import { startTestApi } from '../../test/test-app.ts'
import { WorkPool } from './work-pool.ts'

let api: Awaited<ReturnType<typeof startTestApi>>

beforeAll(async () => {
  api = await startTestApi({ work: { threads: 1, budgetMs: 120_000 } })
})
afterAll(async () => {
  await api?.close()
})

/** The request that held the old server's event loop for minutes: 黑河市, res 9, 20,000 candidates, target 100 %. */
function heavySiting(): string {
  let seed = 7
  const rnd = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
  const candidates = Array.from({ length: 20_000 }, () => [125 + rnd() * 4.5, 47.6 + rnd() * 3.8].map((x) => Number(x.toFixed(5))))
  return JSON.stringify({ kind: 'rider_rest', region: '231100', target_ratio: 1, radius_m: 50_000, resolution: 9, candidates })
}

async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (ok()) return true
    await new Promise((r) => setTimeout(r, 25))
  }
  return ok()
}

describe('the work pool', () => {
  it('answers /api/health while a siting computes, and an aborted siting frees its worker', async () => {
    const client = new AbortController()
    const siting = api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: heavySiting(), signal: client.signal })
    expect(await until(() => api.work.busy.running > 0, 60_000)).toBe(true)
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now()
      const res = await api.request('/api/health')
      expect(res.status).toBe(200)
      // generous for a shared machine; on the old code this waited for the whole siting (minutes)
      expect(performance.now() - t0).toBeLessThan(2000)
    }
    expect(api.work.busy.running).toBe(1) // still computing
    client.abort()
    const res = await siting
    expect(res.status).toBe(503)
    expect((await res.json()).error.message).toMatch(/client closed the connection/)
    // the worker was terminated, not left computing: a tiny task gets a thread at once
    const t0 = performance.now()
    await api.work.run({ task: 'spin', ms: 1 })
    expect(performance.now() - t0).toBeLessThan(15_000)
  })

  it('answers 503 over_budget with Retry-After, naming the budget, when the work takes too long', async () => {
    const work = new WorkPool({ threads: 1, budgetMs: 300 })
    try {
      const tight = createApp({ sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null }, limits: DEFAULT_LIMITS, work })
      const res = await tight.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: heavySiting() })
      expect(res.status).toBe(503)
      expect(res.headers.get('retry-after')).toBe('1')
      const err = (await res.json()).error
      expect(err.code).toBe('over_budget')
      expect(err.message).toContain('work budget of 300 ms (WORK_BUDGET_MS)')
    } finally {
      await work.close()
    }
  })

  it('answers a small siting from the worker with the chosen cells and their gain (coverage.test.ts checks the figures against PostGIS)', async () => {
    const res = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'rider_rest', region: '370828', count: 3 }) })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.sites.features).toHaveLength(3)
    expect(body.sites.features[0].properties.h3).toMatch(/^89/)
    expect(body.after.covered).toBeGreaterThan(body.before.covered)
  })
})
