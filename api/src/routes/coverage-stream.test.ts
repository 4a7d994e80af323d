/**
 * Province-size coverage and gaps (issue 13 item 5) on the embedded database: the progress stream
 * (Accept: text/event-stream), the sliced demand reads, province and `all` regions, the memory budget.
 * Sized for seconds: 金乡县 (10,763 cells) read in slices of 2,000 stands in for a province's 10^6.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../app.ts'
import { DEFAULT_LIMITS } from '../http/env.ts'
import { memoryBudgetOf } from '../planning/planning-inputs.ts'
import { WorkCancelledError, type WorkPool } from '../work/work-pool.ts'
import { readEventStream, type ServerEvent } from '../../../web/src/event-stream.ts'
import { startTestApi } from '../../test/test-app.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
const JINXIANG = '370828'
const SSE = { headers: { accept: 'text/event-stream' } }

beforeAll(async () => {
  api = await startTestApi()
}, 120_000)
afterAll(async () => {
  await api?.close()
})

/** An app over the same database and pool with other limits (sliced reads from the first row). */
function appWith(limits: Partial<typeof DEFAULT_LIMITS>, work: Pick<WorkPool, 'run'> = api.work) {
  const deps = { sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null }, limits: { ...DEFAULT_LIMITS, ...limits }, work: work as WorkPool }
  const app = createApp(deps)
  return { request: (path: string, init?: RequestInit) => app.request(path, init), budget: () => memoryBudgetOf(deps) }
}

async function eventsOf(res: Response): Promise<ServerEvent[]> {
  const out: ServerEvent[] = []
  for await (const e of readEventStream(res.body!)) out.push(e)
  return out
}

const progressOf = (events: ServerEvent[]) => events.filter((e) => e.event === 'progress').map((e) => JSON.parse(e.data))

describe('Accept: text/event-stream on /api/coverage and /api/gaps', () => {
  test('streams progress in order, then exactly the plain JSON answer', async () => {
    for (const path of [`/api/coverage?region=${JINXIANG}&kind=rider_rest`, `/api/gaps?region=${JINXIANG}&kind=rider_rest&limit=5`]) {
      const plain = await api.request(path)
      expect(plain.headers.get('content-type')).toContain('application/json')
      const res = await api.request(path, SSE)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toContain('text/event-stream')
      expect(res.headers.get('cache-control')).toContain('no-transform')
      const events = await eventsOf(res)
      expect(events.at(-1)!.event).toBe('result')
      expect(JSON.parse(events.at(-1)!.data)).toEqual(await plain.json())
      const phases = progressOf(events).map((p) => p.phase)
      expect(phases.slice(0, 4)).toEqual(['region', 'stations', 'demand', 'compute'])
      expect(events.filter((e) => e.event === 'result')).toHaveLength(1)
    }
  })

  test('sliced reads report each slice, counts and time rising, and give the cached path’s answer', async () => {
    const sliced = appWith({ cachedDemandRows: 0, demandSliceRows: 2000 })
    const path = `/api/coverage?region=${JINXIANG}`
    const events = await eventsOf(await sliced.request(path, SSE))
    const progress = progressOf(events)
    const demand = progress.filter((p) => p.phase === 'demand')
    // 10,763 rows in slices of 2,000: six slices, the last one short
    expect(demand.map((p) => p.items_read)).toEqual([2000, 4000, 6000, 8000, 10000, 10763])
    for (const p of progress) expect(p.items_total).toBe(10763)
    for (let i = 1; i < progress.length; i++) expect(progress[i].elapsed_ms).toBeGreaterThanOrEqual(progress[i - 1].elapsed_ms)
    expect(progress.find((p) => p.phase === 'stations').stations).toBeGreaterThan(0)
    const streamed = JSON.parse(events.at(-1)!.data)
    const cached = (await api.get(path)).body
    expect(streamed.total).toBeCloseTo(cached.total, 6)
    expect(streamed.covered).toBeCloseTo(cached.covered, 6)
    expect(streamed.stations).toEqual(cached.stations)
    expect(streamed.by_region).toHaveLength(cached.by_region.length)
  })

  test('a coarser resolution read in slices is summed in the worker to the cached path’s cells', async () => {
    const sliced = appWith({ cachedDemandRows: 0, demandSliceRows: 5000 })
    const path = `/api/gaps?region=${JINXIANG}&resolution=8&limit=3`
    const a = (await (await sliced.request(path)).json()) as any
    const b = (await api.get(path)).body
    expect(a.resolution).toBe(8)
    expect(a.areas).toBe(b.areas)
    expect(a.unserved).toBeCloseTo(b.unserved, 6)
    expect(a.features.map((f: any) => f.properties.cells)).toEqual(b.features.map((f: any) => f.properties.cells))
  })

  test('an error after the header arrives as one error event with the status and body of the plain answer', async () => {
    const plain = await api.request('/api/coverage?region=370828&layer=nope')
    const events = await eventsOf(await api.request('/api/coverage?region=370828&layer=nope', SSE))
    expect(events.at(-1)!.event).toBe('error')
    expect(JSON.parse(events.at(-1)!.data)).toEqual({ status: 404, ...((await plain.json()) as object) })
    // a query that breaks its rule is refused before any stream starts
    const bad = await api.request('/api/coverage?region=37', SSE)
    expect(bad.status).toBe(400)
  })
})

describe('cancelling a streamed run', () => {
  test('closing the stream during the reads stops them and gives the memory back', async () => {
    const sliced = appWith({ cachedDemandRows: 0, demandSliceRows: 200 })
    const res = await sliced.request(`/api/coverage?region=${JINXIANG}`, SSE)
    const seen: any[] = []
    for await (const e of readEventStream(res.body!)) {
      if (e.event !== 'progress') continue
      seen.push(JSON.parse(e.data))
      if (seen.at(-1).phase === 'demand') {
        expect(sliced.budget().inUse).toBeGreaterThan(0)
        break // cancels the body: the client went away
      }
    }
    // the read under way ends at its slice; nothing is computed, the reservation is released
    await expect.poll(() => sliced.budget().inUse, { timeout: 2000 }).toBe(0)
    expect(seen.at(-1).items_read).toBeLessThan(seen.at(-1).items_total)
  })

  test('closing the stream while the worker computes cancels the worker job', async () => {
    // a pool whose every job is 20 s of CPU, so the cancellation is what ends it
    const outcomes: Promise<string>[] = []
    const slow = {
      run: (_task: unknown, signal?: AbortSignal) => {
        const job = api.work.run({ task: 'spin', ms: 20_000 }, signal)
        outcomes.push(job.then(() => 'finished', (err) => (err instanceof WorkCancelledError ? 'cancelled' : String(err))))
        return job
      },
    }
    const app = appWith({}, slow as unknown as WorkPool)
    const t0 = performance.now()
    const res = await app.request(`/api/gaps?region=${JINXIANG}&limit=1`, SSE)
    for await (const e of readEventStream(res.body!)) if (e.event === 'progress' && JSON.parse(e.data).phase === 'compute') break
    await expect.poll(() => outcomes.length, { timeout: 5000 }).toBe(1)
    expect(await outcomes[0]).toBe('cancelled')
    expect(performance.now() - t0).toBeLessThan(15_000)
  })
})

describe('regions and the memory budget', () => {
  test('a province code runs over its loaded cities and counties, all over the whole data set', async () => {
    const county = (await api.get(`/api/coverage?region=${JINXIANG}&kind=red_sail&resolution=8`)).body
    const province = await api.get(`/api/coverage?region=370000&kind=red_sail&resolution=8`)
    expect(province.status).toBe(200)
    // 山东 holds only 济宁市's 金乡县 here
    expect(province.body.total).toBeCloseTo(county.total, 6)
    expect(province.body.covered).toBeCloseTo(county.covered, 6)
    const all = await api.get('/api/coverage?region=all&layer=projects')
    expect(all.status).toBe(200)
    const [row] = await api.sql<{ n: number }[]>`SELECT count(DISTINCT region_code)::int AS n FROM demand_item WHERE layer_id = 'projects' AND region_code IS NOT NULL`
    expect(all.body.by_region).toHaveLength(row!.n)
    expect((await api.get('/api/coverage?region=110000')).body.error.message).toContain('110000')
    expect((await api.get('/api/coverage?region=everywhere')).status).toBe(400)
  })

  test('a request over the budget gets 413 naming the budget, the estimate and what to do; one beside a running one gets 503', async () => {
    const small = appWith({ planningMemoryBytes: 20 * 2 ** 20 })
    const res = await small.request(`/api/coverage?region=${JINXIANG}&kind=rider_rest`)
    expect(res.status).toBe(200)
    const over = await small.request('/api/coverage?region=231100')
    expect(over.status).toBe(413)
    const { error } = (await over.json()) as any
    expect(error.code).toBe('too_large')
    expect(error.message).toMatch(/needs an estimated \d+ MB \(\d+ demand items ≈ 750 B each \+ \d+ stations × 1000 B\), over the planning memory budget of 20 MB \(PLANNING_MEMORY_MB\); choose a smaller region or a coarser resolution, or raise PLANNING_MEMORY_MB/)
    expect(error.issues[0].path).toEqual(['region'])
    // streamed, the same refusal is the stream's error event
    const events = await eventsOf(await small.request('/api/coverage?region=231100', SSE))
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ status: 413, error: { code: 'too_large' } })
    // refused before anything is read: not even the region phase (it follows the reservation)
    expect(progressOf(events)).toEqual([])
    expect(small.budget().inUse).toBe(0)
    // fits alone, but not beside a run holding most of the budget now
    const release = small.budget().reserve({ items: 0, stations: 0, bytes: 16 * 2 ** 20 }, 'a run')
    const busy = await small.request(`/api/coverage?region=${JINXIANG}&kind=rider_rest`)
    release()
    expect(busy.status).toBe(503)
    expect(busy.headers.get('retry-after')).toBe('2')
    expect(((await busy.json()) as any).error.message).toContain('planning requests running now hold 16 MB of the 20 MB budget')
    expect((await small.request(`/api/coverage?region=${JINXIANG}&kind=rider_rest`)).status).toBe(200)
  })
})
