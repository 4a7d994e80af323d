import type { Sql } from '../db/connect.ts'
import { STATION_KINDS, STATION_STATUSES, type StationKind, type StationStatus } from '../core/station-kinds.ts'

/**
 * The station table reduced to what a map tile shows, column by column (typed arrays for numbers,
 * one-byte codes for kind and status, interned opening-hours strings): about 16 + 2 + 4 bytes per
 * station plus the id and name strings, instead of a GeoJSON feature per station.
 */
export interface StationProjection {
  /** stations version (migration 012) read before the first row */
  version: number
  count: number
  id: string[]
  name: string[]
  lon: Float64Array
  lat: Float64Array
  /** index into STATION_KINDS */
  kind: Uint8Array
  /** index into STATION_STATUSES */
  status: Uint8Array
  /** the station's own radius in metres; 0 = none (the kind's default applies) */
  radius: Int32Array
  /** OSM opening_hours, interned (most stations share a few strings), or null */
  hours: (string | null)[]
}

const PAGE = 20_000

/**
 * Loads the projection in keyset pages of 20 000 rows ordered by id, so on the embedded database
 * (one connection) other requests run between pages instead of waiting for a million-row read.
 * The version is read first: a write landing during the load bumps it again and causes another
 * load, so a projection is never labelled newer than its rows.
 */
export async function loadStationProjection(sql: Sql, version: number): Promise<StationProjection> {
  const kindCode = new Map(STATION_KINDS.map((k, i) => [k, i]))
  const statusCode = new Map(STATION_STATUSES.map((s, i) => [s, i]))
  const hoursPool = new Map<string, string>()
  const id: string[] = []
  const name: string[] = []
  const hours: (string | null)[] = []
  const lon: number[] = []
  const lat: number[] = []
  const kind: number[] = []
  const status: number[] = []
  const radius: number[] = []
  let after: string | null = null
  for (;;) {
    const rows: [string, StationKind, StationStatus, number, number, string, number | null, string | null][] = await sql`
      SELECT id::text, kind, status, ST_X(geom), ST_Y(geom), name, radius_m, opening_hours
        FROM station
       ${after ? sql`WHERE id > ${after}::uuid` : sql``}
       ORDER BY id
       LIMIT ${PAGE}`.values() as never
    for (const r of rows) {
      id.push(r[0])
      kind.push(kindCode.get(r[1])!)
      status.push(statusCode.get(r[2])!)
      lon.push(r[3])
      lat.push(r[4])
      name.push(r[5])
      radius.push(r[6] ?? 0)
      const h = r[7]
      if (h === null) hours.push(null)
      else {
        let pooled = hoursPool.get(h)
        if (pooled === undefined) hoursPool.set(h, (pooled = h))
        hours.push(pooled)
      }
    }
    if (rows.length < PAGE) break
    after = rows[rows.length - 1]![0]
  }
  return {
    version,
    count: id.length,
    id,
    name,
    lon: Float64Array.from(lon),
    lat: Float64Array.from(lat),
    kind: Uint8Array.from(kind),
    status: Uint8Array.from(status),
    radius: Int32Array.from(radius),
    hours,
  }
}
