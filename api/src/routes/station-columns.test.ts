/**
 * GET /api/stations/columns: the compact download of the plan tab and the tour holds the same stations
 * as /api/stations, with the same values for every field the pages use, and is far smaller.
 */
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'
import { rankNearest } from '../core/rank-nearest.ts'
import { decodeRiderColumns, decodeStationColumns } from '../../../web/src/station-columns.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/stations.geojson' }
let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
})
afterAll(async () => {
  await api?.close()
})

const LITE = ['id', 'kind', 'status', 'name', 'region_code', 'radius_m', 'opening_hours', 'coverage_radius_m'] as const
const lite = (f: any) => ({ id: f.id, coordinates: f.geometry.coordinates.map((v: number) => Math.round(v * 1e6) / 1e6), ...Object.fromEntries(LITE.map((k) => [k, f.properties[k]])) })

describe('GET /api/stations/columns', () => {
  for (const query of ['', '?status=planned,active,retired', '?kind=service_centre,worksite', '?region=990101', '?bbox=116.0,35.0,116.12,35.2']) {
    it(`holds what /api/stations holds for the fields the pages use (${query || 'no filter'})`, async () => {
      const geo = await api.get(`/api/stations${query}`)
      const cols = await api.get(`/api/stations/columns${query}`)
      expect(cols.status).toBe(200)
      expect(decodeStationColumns(cols.body).map(lite)).toEqual(geo.body.features.map(lite))
    })
  }

  it('pages by cursor like /api/stations, every station once', async () => {
    const all = decodeStationColumns((await api.get('/api/stations/columns?status=planned,active,retired')).body).map((f) => f.properties.id)
    const paged: string[] = []
    let cursor = ''
    for (let i = 0; i < 20; i++) {
      const { body } = await api.get(`/api/stations/columns?status=planned,active,retired&limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(body.count).toBeLessThanOrEqual(2)
      paged.push(...decodeStationColumns(body).map((f) => f.properties.id))
      if (!body.next_cursor) break
      cursor = body.next_cursor
    }
    expect(paged).toEqual(all)
    expect(all.length).toBeGreaterThan(4)
  })

  it('is an empty page for an empty selection, and 400/404 name the field', async () => {
    const empty = await api.get('/api/stations/columns?bbox=10,10,10.1,10.1')
    expect(empty.status).toBe(200)
    expect(empty.body).toMatchObject({ count: 0, id: [], lon: [] })
    expect(empty.body.next_cursor).toBeUndefined()
    const bad = await api.get('/api/stations/columns?limit=50001')
    expect(bad.status).toBe(400)
    expect(bad.body.error.issues[0].path).toEqual(['limit'])
    const bbox = await api.get('/api/stations/columns?bbox=117,35,116,36')
    expect(bbox.status).toBe(400)
    expect(bbox.body.error.issues[0].path).toEqual(['bbox'])
    expect((await api.get('/api/stations/columns?region=999999')).status).toBe(404)
  })

  it('near: the `limit` stations nearest to a point, nearest first in one page, with truncated', async () => {
    const at: [number, number] = [116.072, 35.05]
    const geo = (await api.get('/api/stations?status=active')).body.features
    const order = rankNearest(at, geo, { limit: 100 }).map((f) => f.properties.id)
    const three = await api.get(`/api/stations/columns?status=active&near=${at.join(',')}&limit=3`)
    expect(three.status).toBe(200)
    expect(three.body).toMatchObject({ count: 3, truncated: true })
    expect(three.body.next_cursor).toBeUndefined()
    expect(decodeStationColumns(three.body).map((f) => f.properties.id)).toEqual(order.slice(0, 3))
    // a region's stations near the point; all of them when the limit is not reached
    const region = await api.get(`/api/stations/columns?status=active&region=990101&near=${at.join(',')}&limit=100`)
    expect(region.body.truncated).toBe(false)
    const inRegion = geo.filter((f: any) => f.properties.region_code === '990101')
    expect(decodeStationColumns(region.body).map((f) => f.properties.id)).toEqual(order.filter((id) => inRegion.some((f: any) => f.id === id)))
  })

  it('extra: amenities, address, phone and source as on /api/stations, so the phone ranks offline as the API does', async () => {
    const geo = (await api.get('/api/stations?status=active')).body.features
    const cols = await api.get('/api/stations/columns?status=active&extra=amenities,address,phone,source')
    expect(cols.status).toBe(200)
    const rider = decodeRiderColumns(cols.body)
    const pick = (f: any) => ({ id: f.id, amenities: f.properties.amenities, address: f.properties.address, phone: f.properties.phone, source: f.properties.source })
    expect(rider.map(pick)).toEqual(geo.map(pick))
    // and the filters give the same stations
    const at: [number, number] = [116.1, 35.05]
    const opts = { limit: 20, amenities: ['water'] as const, openAt: new Date('2026-12-01T12:00:00+08:00') }
    expect(rankNearest(at, rider, opts).map((f) => f.properties.id)).toEqual(rankNearest(at, geo, opts).map((f: any) => f.properties.id))
    // without extra the columns are not sent
    const plain = (await api.get('/api/stations/columns?status=active')).body
    expect(plain.amenities).toBeUndefined()
    expect(() => decodeRiderColumns(plain)).toThrow(/extra=/)
  })

  it('400 names near, extra and a cursor given with near', async () => {
    for (const [q, field] of [['near=116.1', 'near'], ['near=200,35', 'near'], ['near=a,b', 'near'], ['extra=amenities,capacity', 'extra'], ['near=116.1,35&cursor=abc', 'cursor']] as const) {
      const res = await api.get(`/api/stations/columns?${q}`)
      expect({ q, status: res.status }).toEqual({ q, status: 400 })
      expect(res.body.error.issues[0].path).toEqual([field])
    }
  })

  it('takes a fraction of the GeoJSON’s bytes, raw and gzipped', async () => {
    const q = '?status=planned,active,retired'
    const geo = Buffer.from(JSON.stringify((await api.get(`/api/stations${q}`)).body))
    const cols = Buffer.from(JSON.stringify((await api.get(`/api/stations/columns${q}`)).body))
    expect(cols.length).toBeLessThan(geo.length / 3)
    // (nine stations: gzip’s own overhead weighs; bench-station-download measures 10^5)
    expect(gzipSync(cols).length).toBeLessThan(gzipSync(geo).length * 0.8)
  })
})
