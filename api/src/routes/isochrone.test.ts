import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoadRoads } from '../../../scripts/load-roads.ts'
import { startTestApi } from '../../test/test-app.ts'
import { at, TOWN_OSM } from '../core/test/town.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
const ids: Record<string, string> = {}
beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: 'api/test/fixtures/regions.geojson' } })
  const add = async (name: string, lon: number, lat: number) => {
    const [row] = await api.sql<{ id: string }[]>`
      INSERT INTO station (kind, name, geom, source) VALUES ('rider_rest', ${name}, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326), 'manual') RETURNING id`
    ids[name] = row!.id
  }
  await add('river', ...at(0, 2))
  await add('field', 116.315, 35.044) // 667 m south of the town's roads
  await add('far', 117.5, 36.5) // another county, no roads loaded there
})
afterAll(async () => {
  await api?.close()
})

const pt = (p: [number, number]) => ({ type: 'Point' as const, coordinates: p })

describe('GET /api/stations/{id}/isochrone', () => {
  it('answers 404 saying no road network is loaded before an import', async () => {
    const res = await api.get(`/api/stations/${ids.river}/isochrone`)
    expect(res.status).toBe(404)
    expect(res.body.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(/no road network is loaded.*load-roads/) })
  })

  it('outlines the river station’s 5 e-bike minutes on the south bank once the town is loaded', async () => {
    await runLoadRoads(api.sql, TOWN_OSM)
    const res = await api.get(`/api/stations/${ids.river}/isochrone?mode=ebike&minutes=5`)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ type: 'Feature', geometry: { type: 'Polygon' }, properties: { station_id: ids.river, mode: 'ebike', minutes: 5, extract: 'town.osm' } })
    expect(booleanPointInPolygon(pt(at(2, 2)), res.body.geometry, { ignoreBoundary: false })).toBe(true)
    expect(booleanPointInPolygon(pt(at(0, 3)), res.body.geometry)).toBe(false)
    const foot = await api.get(`/api/stations/${ids.river}/isochrone?mode=foot&minutes=5`)
    // 400 m on foot: the next corner (455 m east) is out of reach
    expect(booleanPointInPolygon(pt(at(1, 2)), foot.body.geometry)).toBe(false)
  })

  it('answers 404 for a station with no roads around it and for one more than 300 m from a road', async () => {
    const far = await api.get(`/api/stations/${ids.far}/isochrone`)
    expect(far.status).toBe(404)
    expect(far.body.error.message).toMatch(/no roads are loaded around station .* town\.osm does not cover it/)
    const field = await api.get(`/api/stations/${ids.field}/isochrone?mode=foot&minutes=10`)
    expect(field.status).toBe(404)
    expect(field.body.error.message).toMatch(/more than 300 m from any road usable on foot/)
  })

  it('validates mode and minutes, and answers 404 for an unknown station', async () => {
    const bad = await api.get(`/api/stations/${ids.river}/isochrone?mode=car&minutes=0`)
    expect(bad.status).toBe(400)
    expect(bad.body.error.code).toBe('invalid_query')
    expect(bad.body.error.issues.map((i: { path: string[] }) => i.path[0]).sort()).toEqual(['minutes', 'mode'])
    expect((await api.get(`/api/stations/${ids.river}/isochrone?minutes=61`)).body.error.message).toMatch(/minutes: must be ≤ 60/)
    const unknown = await api.get('/api/stations/00000000-0000-4000-8000-000000000000/isochrone')
    expect(unknown.status).toBe(404)
  })
})
