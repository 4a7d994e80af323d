/**
 * After an edit the tile cache reads only the changed rows (refreshStationProjection): the result
 * must hold exactly what a fresh whole-table load holds, through moves, inserts, retirements and deletes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'
import { currentDataVersions } from './data-version.ts'
import { loadStationProjection, refreshStationProjection, type StationProjection } from './station-projection.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/stations.geojson' }
let api: Awaited<ReturnType<typeof startTestApi>>

beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
})
afterAll(async () => {
  await api?.close()
})

/** The projection's rows by id, comparable whatever their order. */
function rows(p: StationProjection) {
  const out: Record<string, unknown[]> = {}
  for (let i = 0; i < p.count; i++) out[p.id[i]!] = [p.name[i], p.lon[i], p.lat[i], p.kind[i], p.status[i], p.radius[i], p.hours[i]]
  return out
}

describe('refreshStationProjection', () => {
  it('equals a whole-table load after each kind of write, and leaves the old projection as it was', async () => {
    const sql = api.sql
    const version = async () => (await currentDataVersions(sql)).stations
    let p = await loadStationProjection(sql, await version())
    expect(p.count).toBeGreaterThan(0)
    const firstRows = rows(p)
    const [one] = await sql<{ id: string }[]>`SELECT id::text FROM station ORDER BY id LIMIT 1`
    const writes = [
      sql`UPDATE station SET geom = ST_SetSRID(ST_MakePoint(100.2, 10.2), 4326), name = 'moved', updated_at = now() WHERE id = ${one!.id}::uuid`,
      sql`INSERT INTO station (kind, name, region_code, geom, source, opening_hours, radius_m) VALUES ('red_sail', 'new one', '990101', ST_SetSRID(ST_MakePoint(100.3, 10.3), 4326), 'manual', '24/7', 700)`,
      sql`UPDATE station SET status = 'retired', updated_at = now() WHERE name = 'new one'`,
    ]
    for (const write of writes) {
      await write
      const v = await version()
      const before = rows(p)
      const refreshed = await refreshStationProjection(sql, p, v)
      expect(refreshed.version).toBe(v)
      expect(rows(refreshed)).toEqual(rows(await loadStationProjection(sql, v)))
      expect(rows(p)).toEqual(before) // tiles being encoded from the old one keep their rows
      p = refreshed
    }
    expect(rows(p)[one!.id]).toEqual(expect.arrayContaining(['moved', 100.2, 10.2]))
    expect(Object.keys(rows(p)).length).toBe(Object.keys(firstRows).length + 1)
    // a delete leaves no changed row to read: the row count tells, and the whole table is read again
    await sql`DELETE FROM station WHERE name = 'new one'`
    const afterDelete = await refreshStationProjection(sql, p, await version())
    expect(rows(afterDelete)).toEqual(rows(await loadStationProjection(sql, await version())))
    expect(afterDelete.count).toBe(p.count - 1)
  })
})
