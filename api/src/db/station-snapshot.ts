import type { Sql } from './connect.ts'
import { columns, toFeature, type StationRow } from './stations.ts'

/** A station as the nearest index holds it: the feature reads return, and its exact point. */
export interface SnapshotStation {
  feature: ReturnType<typeof toFeature>
  /** the stored coordinates at full precision (the feature's GeoJSON is rounded to 7 decimals) */
  lon: number
  lat: number
}

/**
 * Stations for the in-memory nearest index: every station updated after `since` (all statuses, so a
 * retired one can be dropped), or with no `since` every active one. `updated_at` is set on every write
 * (db/stations.ts, seed, scale-data's inserts). ST_X/ST_Y are float8 in full, unlike the GeoJSON.
 */
export async function snapshotStations(sql: Sql, since?: Date): Promise<SnapshotStation[]> {
  const rows = await sql<(StationRow & { x: number; y: number })[]>`
    SELECT ${columns(sql)}, ST_X(station.geom) AS x, ST_Y(station.geom) AS y
      FROM station
     WHERE ${since ? sql`updated_at > ${since}` : sql`status = 'active'`}`
  return rows.map(({ x, y, ...row }) => ({ feature: toFeature(row), lon: x, lat: y }))
}

/** The station change counter (migration 012) and the database's clock, in one single-row read. */
export async function stationChangeState(sql: Sql): Promise<{ version: number; now: Date }> {
  const [row] = await sql<{ version: string; now: Date }[]>`SELECT version::text, now() AS now FROM data_version WHERE name = 'stations'`
  return { version: Number(row?.version ?? 0), now: row?.now ?? new Date() }
}

export async function activeStationCount(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`SELECT count(*)::text AS n FROM station WHERE status = 'active'`
  return Number(row?.n ?? 0)
}
