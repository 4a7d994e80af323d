/**
 * /api/health and /api/nearest while the database is held by a long statement: on the embedded
 * database (one connection) health says `busy` instead of waiting, and nearest answers from memory;
 * on PostgreSQL the pool's other connections keep health `ready`. Either way both answer at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FRESH_MS } from '../db/liveness.ts'
import { NearestIndex } from '../nearest/nearest-index.ts'
import { startTestApi } from '../../test/test-app.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }

let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
})
afterAll(async () => {
  await api?.close()
})

const timed = async (path: string) => {
  const t0 = performance.now()
  const res = await api.request(path)
  return { status: res.status, body: await res.json(), ms: performance.now() - t0 }
}

describe('GET /api/health', () => {
  it('says which database and PostGIS, and that it is ready', async () => {
    const { status, body } = await timed('/api/health')
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'ok', database: api.database, database_state: 'ready', nearest_index: 'ready' })
    expect(body.postgis).toMatch(/^3\.\d+/)
  })

  it('answers at once while a long statement holds the database, and so does nearest', async () => {
    await new Promise((r) => setTimeout(r, FRESH_MS + 100)) // the last ping is no longer fresh
    const long = api.sql`SELECT pg_sleep(1.5)`.execute()
    await new Promise((r) => setTimeout(r, 100)) // the statement is running
    const health = await timed('/api/health')
    const nearest = await timed('/api/nearest?lon=116.01&lat=35.05&limit=3')
    const again = await timed('/api/health')
    await long
    expect(health.status).toBe(200)
    expect(health.ms).toBeLessThan(400)
    expect(nearest.status).toBe(200)
    expect(nearest.body.features).toHaveLength(3)
    expect(nearest.ms).toBeLessThan(400)
    expect(again.ms).toBeLessThan(400)
    // one connection: the ping waits behind the statement; a pool: another connection answers it
    const expected = api.database === 'embedded' ? 'busy' : 'ready'
    expect(health.body.database_state).toBe(expected)
    expect(again.body.database_state).toBe(expected)
    expect(health.body.postgis).toMatch(/^3\.\d+/) // cached from an earlier ping
    const after = await timed('/api/health')
    expect(after.body.database_state).toBe('ready')
  })
})

describe('while the nearest index loads', () => {
  it('is not ready at once, then is', async () => {
    const index = NearestIndex.start(api.sql, { pollMs: 0 })
    expect(index.ready).toBe(false)
    await index.loaded
    expect(index.ready).toBe(true)
    expect(index.size).toBe(api.nearest!.size)
    index.close()
  })

  it('health says loading and nearest answers from PostGIS, the same stations', async () => {
    const query = '/api/nearest?lon=116.01&lat=35.05&limit=5'
    const fromMemory = await api.request(query)
    expect(fromMemory.headers.get('x-nearest-engine')).toBe('memory')
    const index = api.nearest!
    Object.defineProperty(index, 'ready', { get: () => false, configurable: true })
    try {
      const health = await timed('/api/health')
      expect(health.body.nearest_index).toBe('loading')
      const loading = await api.request(query)
      expect(loading.status).toBe(200)
      expect(loading.headers.get('x-nearest-engine')).toBe('knn')
      expect(await loading.text()).toBe(await fromMemory.text())
    } finally {
      delete (index as { ready?: boolean }).ready
    }
    expect((await timed('/api/health')).body.nearest_index).toBe('ready')
  })
})
