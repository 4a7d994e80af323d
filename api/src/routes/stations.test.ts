import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { greatCircleDistance } from '../core/great-circle-distance.ts'
import { startTestApi } from '../../test/test-app.ts'

// Fixture: two square counties 990101 | 990102 sharing the meridian 116.1°E, nine stations (see fixtures/).
const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/stations.geojson' }
const fixtureStations = JSON.parse(readFileSync(FIXTURES.demoStations, 'utf8')).features as {
  geometry: { coordinates: [number, number] }
  properties: { external_id: string; status: string; kind: string }
}[]

let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
})
afterAll(async () => {
  await api?.close()
})

describe('GET /api/stations', () => {
  it('returns every planned and active station as an RFC 7946 FeatureCollection', async () => {
    const { status, body, headers } = await api.get('/api/stations')
    expect(status).toBe(200)
    expect(headers.get('content-type')).toMatch(/application\/json/)
    expect(body.type).toBe('FeatureCollection')
    const expected = fixtureStations.filter((f) => f.properties.status !== 'retired').map((f) => f.properties.external_id)
    expect(body.features.map((f: any) => f.properties.external_id).sort()).toEqual(expected.sort())
    const f = body.features.find((x: any) => x.properties.external_id === 't-06')
    expect(f.type).toBe('Feature')
    expect(f.id).toBe(f.properties.id)
    expect(f.geometry).toEqual({ type: 'Point', coordinates: [116.15, 35.05] })
    expect(f.properties).toMatchObject({ kind: 'service_centre', radius_m: 2500, coverage_radius_m: 2500, source: 'demo', version: 1 })
    const rider = body.features.find((x: any) => x.properties.external_id === 't-01')
    expect(rider.properties).toMatchObject({ radius_m: null, coverage_radius_m: 1500, amenities: ['water', 'charging'] })
    expect(body.next_cursor).toBeUndefined()
  })

  it('filters by kind list and status', async () => {
    const { body } = await api.get('/api/stations?kind=service_centre,worksite')
    expect(body.features.map((f: any) => f.properties.external_id).sort()).toEqual(['t-06', 't-08'])
    const retired = await api.get('/api/stations?status=retired')
    expect(retired.body.features.map((f: any) => f.properties.external_id)).toEqual(['t-09'])
  })

  it('filters by county, and by city including its counties', async () => {
    const east = await api.get('/api/stations?region=990102')
    expect(east.body.features.map((f: any) => f.properties.external_id).sort()).toEqual(['t-06', 't-08'])
    const city = await api.get('/api/stations?region=990100')
    expect(city.body.features).toHaveLength(8)
  })

  it('includes points lying exactly on a bbox edge (the county border)', async () => {
    // t-07 stands on 116.1°E, the border between the two counties
    const west = await api.get('/api/stations?bbox=116.0,35.0,116.1,35.1')
    const east = await api.get('/api/stations?bbox=116.1,35.0,116.2,35.1')
    const ids = (r: any) => r.body.features.map((f: any) => f.properties.external_id)
    expect(ids(west)).toContain('t-07')
    expect(ids(east)).toContain('t-07')
    expect(ids(east)).not.toContain('t-01')
  })

  it('returns an empty collection when nothing matches', async () => {
    const { status, body } = await api.get('/api/stations?bbox=100,20,100.1,20.1')
    expect(status).toBe(200)
    expect(body).toEqual({ type: 'FeatureCollection', features: [] })
  })

  it('pages with limit and next_cursor without losing or repeating a station', async () => {
    const seen: string[] = []
    let url = '/api/stations?limit=3'
    for (let i = 0; i < 10; i++) {
      const { body } = await api.get(url)
      seen.push(...body.features.map((f: any) => f.id))
      if (!body.next_cursor) break
      expect(body.features).toHaveLength(3)
      url = `/api/stations?limit=3&cursor=${body.next_cursor}`
    }
    expect(seen).toHaveLength(8)
    expect(new Set(seen).size).toBe(8)
  })

  it.each([
    ['bbox=1,2,3', 'bbox', 'four numbers'],
    ['bbox=116.2,35,116.1,35.1', 'bbox', 'west must be less than east'],
    ['bbox=116,35.1,116.2,35', 'bbox', 'south must be less than north'],
    ['bbox=116,-95,116.2,35', 'bbox', 'latitudes'],
    ['kind=rider_rest,spaceship', 'kind', 'unknown kind "spaceship"'],
    ['status=closed', 'status', 'unknown status'],
    ['region=37082', 'region', 'six-digit'],
    ['limit=0', 'limit', '≥ 1'],
    ['limit=10001', 'limit', '≤ 10000'],
    ['cursor=!!', 'cursor', 'next_cursor'],
  ])('rejects %s with 400 naming the field and the rule', async (query, field, rule) => {
    const { status, body } = await api.get(`/api/stations?${query}`)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.message).toContain(field)
    expect(body.error.message).toContain(rule)
    expect(body.error.issues[0].path).toEqual([field])
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/) // no stack trace
  })

  it('rejects a well-formed cursor that was never issued', async () => {
    const { status, body } = await api.get(`/api/stations?cursor=${Buffer.from('not-a-uuid').toString('base64url')}`)
    expect(status).toBe(400)
    expect(body.error.issues[0].path).toEqual(['cursor'])
  })

  it('answers 404 for an unknown region code', async () => {
    const { status, body } = await api.get('/api/stations?region=123456')
    expect(status).toBe(404)
    expect(body.error.message).toContain('123456')
  })
})

describe('GET /api/stations/:id', () => {
  it('returns one station as a Feature', async () => {
    const { body: all } = await api.get('/api/stations?kind=service_centre')
    const id = all.features[0].id
    const { status, body } = await api.get(`/api/stations/${id}`)
    expect(status).toBe(200)
    expect(body).toEqual(all.features[0])
  })
  it('returns 404 for an unknown id', async () => {
    const { status, body } = await api.get('/api/stations/00000000-0000-4000-8000-000000000000')
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })
  it('returns 400 for an id that is not a UUID', async () => {
    const { status, body } = await api.get('/api/stations/42')
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_params')
    expect(body.error.issues[0].path).toEqual(['id'])
  })
})

describe('GET /api/nearest', () => {
  const origin: [number, number] = [116.063, 35.052]

  it('orders active stations exactly as a brute-force great-circle ordering does', async () => {
    const { status, body } = await api.get(`/api/nearest?lon=${origin[0]}&lat=${origin[1]}&limit=100`)
    expect(status).toBe(200)
    const active = fixtureStations.filter((f) => f.properties.status === 'active')
    const brute = active
      .map((f) => ({ id: f.properties.external_id, d: greatCircleDistance(origin, f.geometry.coordinates) }))
      .sort((a, b) => a.d - b.d)
    expect(body.features.map((f: any) => f.properties.external_id)).toEqual(brute.map((b) => b.id))
    body.features.forEach((f: any, i: number) => {
      // PostGIS sphere distance and our haversine agree to the millimetre
      expect(f.properties.distance_m).toBeCloseTo(brute[i]!.d, 3)
      expect(f.properties.bearing_deg).toBeGreaterThanOrEqual(0)
      expect(f.properties.bearing_deg).toBeLessThan(360)
    })
  })

  it('honours kind, limit and amenity (all listed amenities required)', async () => {
    const { body } = await api.get(`/api/nearest?lon=${origin[0]}&lat=${origin[1]}&kind=rider_rest&limit=2`)
    expect(body.features.map((f: any) => f.properties.external_id)).toEqual(['t-02', 't-03'])
    const water = await api.get(`/api/nearest?lon=${origin[0]}&lat=${origin[1]}&amenity=water,charging&limit=10`)
    expect(water.body.features.map((f: any) => f.properties.external_id)).toEqual(['t-01'])
  })

  it.each([
    // Thursday 2026-11-26
    ['2026-11-26T23:30:00+08:00', ['t-02', 't-01']], // overnight stop and 24/7
    ['2026-11-27T05:59:00+08:00', ['t-02', 't-01']],
    ['2026-11-27T06:00:00+08:00', ['t-01']], // overnight stop just closed
    ['2026-11-26T10:00:00+08:00', ['t-03', 't-01', 't-04']],
    ['2026-11-29T10:00:00+08:00', ['t-01']], // Sunday: weekday and "Su off" stops closed
    ['2026-11-26T02:00:00Z', ['t-03', 't-01', 't-04']], // 10:00 in Shanghai, written in UTC
  ])('open_at=%s keeps only stations open then, in China Standard Time', async (at, expected) => {
    const { status, body } = await api.get(
      `/api/nearest?lon=${origin[0]}&lat=${origin[1]}&kind=rider_rest&limit=5&open_at=${encodeURIComponent(at)}`,
    )
    expect(status).toBe(200)
    expect(body.features.map((f: any) => f.properties.external_id)).toEqual(expected)
    expect(body.features.every((f: any) => f.properties.open === true)).toBe(true)
  })

  it('limits by max_distance_m', async () => {
    const { body } = await api.get(`/api/nearest?lon=${origin[0]}&lat=${origin[1]}&max_distance_m=700&limit=10`)
    expect(body.features.map((f: any) => f.properties.external_id)).toEqual(['t-02', 't-03'])
  })

  it('returns an empty collection far from every station', async () => {
    const { body } = await api.get('/api/nearest?lon=100&lat=20&max_distance_m=1000')
    expect(body.features).toEqual([])
  })

  it.each([
    ['lat=35', 'lon'],
    ['lon=200&lat=35', 'lon'],
    ['lon=116&lat=abc', 'lat'],
    ['lon=116&lat=35&limit=101', 'limit'],
    ['lon=116&lat=35&open_at=tomorrow', 'open_at'],
    ['lon=116&lat=35&amenity=sauna', 'amenity'],
  ])('rejects %s with 400 naming %s', async (query, field) => {
    const { status, body } = await api.get(`/api/nearest?${query}`)
    expect(status).toBe(400)
    expect(body.error.issues.map((i: any) => i.path[0])).toContain(field)
    expect(body.error.message).toContain(field)
  })
})

describe('the service', () => {
  it('reports health with the database mode and PostGIS version', async () => {
    const { status, body } = await api.get('/api/health')
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'ok', database: process.env.DATABASE_URL ? 'external' : 'embedded' })
    expect(body.postgis).toMatch(/^3\.\d+/)
  })

  it('publishes an OpenAPI 3.1 document naming every endpoint, and a docs page', async () => {
    const { status, body } = await api.get('/api/openapi.json')
    expect(status).toBe(200)
    expect(body.openapi).toBe('3.1.0')
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/health', '/regions', '/stations', '/stations/{id}', '/nearest', '/programmes', '/config']))
    const nearestParams = body.paths['/nearest'].get.parameters
    expect(nearestParams.filter((p: any) => p.required).map((p: any) => p.name).sort()).toEqual(['lat', 'lon'])
    const docs = await api.request('/api/docs')
    expect(docs.status).toBe(200)
    expect(await docs.text()).toContain('/api/nearest')
  })

  it('serves the programmes\' real figures with their source', async () => {
    const { status, body } = await api.get('/api/programmes')
    expect(status).toBe(200)
    expect(body.source.pages).toEqual(['B12', 'B13'])
    const jinxiang = body.programmes.find((p: any) => p.region_code === '370828')
    expect(jinxiang.figures.find((f: any) => f.key === 'two_new_organisations').value).toBe(207)
  })

  it('answers 404 in the error shape for an unknown endpoint', async () => {
    const { status, body } = await api.get('/api/nope')
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
  })

  it('keeps answering after bad requests', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => api.get(`/api/stations?bbox=${i}`)))
    expect((await api.get('/api/health')).status).toBe(200)
  })
})
