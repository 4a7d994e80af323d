/**
 * The in-memory nearest index answers GET /api/nearest exactly as PostGIS KNN does — random points,
 * every filter, stations at one spot and at one distance (ties by id) — and follows the table:
 * writes through this process at once, writes by another process (straight SQL) within a poll,
 * hard deletes by a full reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { gunzipSync, inflateSync } from 'node:zlib'
import seedrandom from 'seedrandom'
import { startTestApi } from '../../test/test-app.ts'
import { addAccount, asSession, signIn } from '../../test/accounts.ts'
import { snapshotStations } from '../db/station-snapshot.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }
const KINDS = ['service_centre', 'red_sail', 'rider_rest', 'worksite']
const AMENITIES = ['water', 'charging', 'toilet', 'rest', 'heating']
const HOURS = ['24/7', 'Mo-Fr 08:00-20:00', 'Mo-Su 20:00-06:00', 'Mo-Sa 09:00-12:00,14:00-18:00', null, 'not hours at all']
/** a point of the fixture region 990101 that two mirrored stations are equally far from */
const MIRROR = [116.05, 35.06] as const

let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
  const rng = seedrandom('nearest-index')
  const rows: Record<string, unknown>[] = []
  const add = (lon: number, lat: number, i: number) =>
    rows.push({
      external_id: `rand-${i}`, kind: KINDS[i % 4], name: `随机 ${i}`, lon, lat,
      opening_hours: HOURS[Math.floor(rng() * HOURS.length)], amenities: AMENITIES.filter(() => rng() < 0.4),
      status: rng() < 0.1 ? 'retired' : 'active',
    })
  for (let i = 0; i < 1500; i++) add(Number((115.95 + rng() * 0.25).toFixed(6)), Number((34.98 + rng() * 0.15).toFixed(6)), i)
  // ties: 40 pairs at one spot, and 20 pairs mirrored about MIRROR's meridian (one distance, two places)
  for (let i = 0; i < 40; i++) { const r = rows[i]!; add(r.lon as number, r.lat as number, 2000 + i) }
  for (let i = 0; i < 20; i++) { const d = 0.001 + i * 0.0007, lat = MIRROR[1] + (i % 5) * 0.0003; add(MIRROR[0] - d, lat, 3000 + i); add(MIRROR[0] + d, lat, 3100 + i) }
  await api.sql`
    INSERT INTO station (external_id, kind, name, region_code, geom, opening_hours, amenities, status, source)
    SELECT r.external_id, r.kind, r.name, '990101', ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r.opening_hours, r.amenities, r.status, 'demo'
      FROM json_to_recordset(${JSON.stringify(rows)}::text::json)
        AS r(external_id text, kind text, name text, lon float8, lat float8, opening_hours text, amenities text[], status text)`
  await api.nearest!.sync()
})
afterAll(async () => {
  await api?.close()
})

const both = async (query: string) => {
  const [memory, knn] = await Promise.all([api.request(`/api/nearest?${query}&engine=memory`), api.request(`/api/nearest?${query}&engine=knn`)])
  expect(memory.headers.get('x-nearest-engine')).toBe('memory')
  expect(knn.headers.get('x-nearest-engine')).toBe('knn')
  return { memory: (await memory.json()).features as any[], knn: (await knn.json()).features as any[] }
}

/**
 * The same stations in the same order with every field equal; distance_m, which both round to 10 nm
 * as PostGIS does, may still differ by that last step when libm and V8 land on either side of it.
 */
function expectSameAnswer(memory: any[], knn: any[]) {
  expect(memory.map((f) => f.id)).toEqual(knn.map((f) => f.id))
  const rest = (f: any) => ({ ...f, properties: { ...f.properties, distance_m: 0 } })
  expect(memory.map(rest)).toEqual(knn.map(rest))
  memory.forEach((m, i) => expect(Math.abs(m.properties.distance_m - knn[i].properties.distance_m)).toBeLessThanOrEqual(1.5e-8))
}

describe('the in-memory nearest index', () => {
  it('answers as PostGIS KNN on 150 random points with every filter', async () => {
    const rng = seedrandom('queries')
    const filters = ['', '&kind=rider_rest', '&kind=red_sail,worksite&amenity=water', '&amenity=charging,toilet', '&open_at=2026-11-30T21:30:00%2B08:00',
      '&open_at=2026-11-29T13:00:00%2B08:00&kind=service_centre', '&max_distance_m=1500', '&max_distance_m=800&amenity=rest&open_at=2026-11-30T10:00:00%2B08:00']
    let compared = 0
    for (let i = 0; i < 150; i++) {
      const lon = (115.9 + rng() * 0.35).toFixed(5), lat = (34.95 + rng() * 0.2).toFixed(5)
      const limit = 1 + Math.floor(rng() * 30)
      const { memory, knn } = await both(`lon=${lon}&lat=${lat}&limit=${limit}${filters[i % filters.length]}`)
      expectSameAnswer(memory, knn)
      compared += knn.length
    }
    expect(compared).toBeGreaterThan(1500)
  })

  it('sends the text JSON.stringify makes of its answer, gzipped when asked as the compress middleware would', async () => {
    const query = 'lon=116.05&lat=35.05&limit=12&open_at=2026-11-30T21:30:00%2B08:00'
    const plain = await api.request(`/api/nearest?${query}`)
    const text = await plain.text()
    expect(plain.headers.get('content-type')).toBe('application/json')
    expect(plain.headers.get('content-encoding')).toBeNull()
    expect(plain.headers.get('vary')).toMatch(/accept-encoding/i)
    expect(text).toBe(JSON.stringify(JSON.parse(text)))
    expect(JSON.parse(text).features.length).toBe(12)
    const gzipped = await api.request(`/api/nearest?${query}`, { headers: { 'Accept-Encoding': 'gzip, deflate, br' } })
    expect(gzipped.headers.get('content-encoding')).toBe('gzip')
    expect(gunzipSync(Buffer.from(await gzipped.arrayBuffer())).toString()).toBe(text)
    const deflated = await api.request(`/api/nearest?${query}`, { headers: { 'Accept-Encoding': 'gzip;q=0.5, deflate' } })
    expect(deflated.headers.get('content-encoding')).toBe('deflate')
    expect(inflateSync(Buffer.from(await deflated.arrayBuffer())).toString()).toBe(text)
    const empty = await api.request('/api/nearest?lon=100&lat=20&max_distance_m=10')
    expect(await empty.text()).toBe('{"type":"FeatureCollection","features":[]}')
  })

  it('breaks ties by id: stations at one spot and stations at one distance', async () => {
    const [spot] = (await api.sql<{ lon: number; lat: number }[]>`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM station WHERE external_id = 'rand-2003'`)
    for (const [lon, lat] of [[spot!.lon, spot!.lat], MIRROR]) {
      for (const limit of [1, 2, 3, 7, 40]) {
        const { memory, knn } = await both(`lon=${lon}&lat=${lat}&limit=${limit}`)
        expectSameAnswer(memory, knn)
      }
    }
    const { memory } = await both(`lon=${MIRROR[0]}&lat=${MIRROR[1]}&limit=2&kind=${KINDS[3000 % 4]}`)
    // the two nearest mirrored stations are exactly as far, so their order is the ids'
    expect(memory[0].properties.distance_m).toBe(memory[1].properties.distance_m)
    expect(memory[0].id < memory[1].id).toBe(true)
  })

  it('shows a station written through the API at once, and its retirement', async () => {
    await addAccount(api, 'index-admin@example.cn', 'admin')
    const cookie = await signIn(api, 'index-admin@example.cn')
    const created = await api.request('/api/stations', {
      method: 'POST', headers: asSession(cookie),
      body: JSON.stringify({ kind: 'rider_rest', name: '新驿站', lon: 116.1234567891, lat: 35.0123456789, opening_hours: '24/7' }),
    })
    expect(created.status).toBe(201)
    const { id } = await created.json()
    const near = await both('lon=116.1234567&lat=35.0123456&limit=1')
    expect(near.memory[0].id).toBe(id)
    expectSameAnswer(near.memory, near.knn)
    const retired = await api.request(`/api/stations/${id}`, { method: 'DELETE', headers: asSession(cookie) })
    expect(retired.status).toBe(200)
    const after = await both('lon=116.1234567&lat=35.0123456&limit=1')
    expect(after.memory[0].id).not.toBe(id)
    expectSameAnswer(after.memory, after.knn)
  })

  it('follows writes by another process within a poll, and hard deletes', async () => {
    const [row] = await api.sql<{ id: string }[]>`
      INSERT INTO station (kind, name, region_code, geom, source) VALUES ('worksite', '别处写入', '990101', ST_SetSRID(ST_MakePoint(116.2, 35.1), 4326), 'manual') RETURNING id`
    const seen = async () => (await both('lon=116.2&lat=35.1&limit=1')).memory[0]?.id === row!.id
    const t0 = Date.now()
    while (!(await seen()) && Date.now() - t0 < 3000) await new Promise((r) => setTimeout(r, 50))
    expect(await seen()).toBe(true)
    const loads = api.nearest!.stats.fullLoads
    await api.sql`DELETE FROM station WHERE id = ${row!.id}`
    await api.nearest!.sync()
    expect(await seen()).toBe(false)
    expect(api.nearest!.stats.fullLoads).toBe(loads + 1)
    expect(api.nearest!.size).toBe(Number((await api.sql`SELECT count(*) AS n FROM station WHERE status = 'active'`)[0]!.n))
  })

  it('loads every active station page by page as in one statement', async () => {
    const paged = await snapshotStations(api.sql, undefined, 97)
    const n = (await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station WHERE status = 'active'`)[0]!.n
    expect(paged.length).toBe(n)
    expect(new Set(paged.map((s) => s.id)).size).toBe(n)
    expect(paged.map((s) => s.id)).toEqual((await snapshotStations(api.sql)).map((s) => s.id))
  })
})
