/**
 * GET /api/stations/columns: the compact download of the plan tab and the tour holds the same stations
 * as /api/stations, with the same values for every field the pages use, and is far smaller.
 */
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'
import { decodeStationColumns } from '../../../web/src/station-columns.ts'

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

  it('takes a fraction of the GeoJSON’s bytes, raw and gzipped', async () => {
    const q = '?status=planned,active,retired'
    const geo = Buffer.from(JSON.stringify((await api.get(`/api/stations${q}`)).body))
    const cols = Buffer.from(JSON.stringify((await api.get(`/api/stations/columns${q}`)).body))
    expect(cols.length).toBeLessThan(geo.length / 3)
    // (nine stations: gzip’s own overhead weighs; bench-station-download measures 10^5)
    expect(gzipSync(cols).length).toBeLessThan(gzipSync(geo).length * 0.8)
  })
})
