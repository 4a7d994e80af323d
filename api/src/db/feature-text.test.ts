/**
 * featureText must be JSON.stringify(toFeature(row)) to the byte: the nearest index answers with it,
 * and the KNN route with c.json of the feature. Rows as the database returns them (the member order
 * is the SELECT's), then the same rows with awkward values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'
import { columns, featureText, toFeature, type StationRow } from './stations.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }

let api: Awaited<ReturnType<typeof startTestApi>>
let rows: (StationRow & { x: number; y: number })[]
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
  // as station-snapshot.ts reads them: the columns of every read, then the exact point
  rows = await api.sql<(StationRow & { x: number; y: number })[]>`
    SELECT ${columns(api.sql)}, ST_X(station.geom) AS x, ST_Y(station.geom) AS y FROM station ORDER BY id`
})
afterAll(async () => {
  await api?.close()
})

const stringified = ({ x: _x, y: _y, ...row }: StationRow & { x: number; y: number }) => JSON.stringify(toFeature(row))

describe('featureText', () => {
  it('is the text of the feature reads return, for every station of the database', () => {
    expect(rows.length).toBeGreaterThan(10)
    for (const row of rows) expect(featureText(row)).toBe(stringified(row))
  })

  it('escapes and spells awkward values as JSON.stringify does', () => {
    const row = rows[0]!
    const odd = [
      { ...row, name: 'a "quoted" \\ name\n\t\u2028\u0000 驿站 😀', address: null, phone: null, operator: '\ud800', external_id: null },
      { ...row, amenities: [], opening_hours: null, capacity: 0, radius_m: 50_000, region_code: null },
      { ...row, geometry: { type: 'Point' as const, coordinates: [-0, 1e-7] as [number, number] }, version: 123456789 },
      { ...row, created_at: new Date(Date.UTC(1999, 0, 1, 0, 0, 0, 7)), updated_at: new Date(Date.UTC(2100, 11, 31, 23, 59, 59, 999)) },
    ]
    for (const r of odd) expect(featureText(r)).toBe(stringified(r))
  })
})
