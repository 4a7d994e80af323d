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
  /** the latest updated_at read (Unix seconds), where the next refresh starts reading changed rows */
  updatedMax: number | null
  /** rows [0, sorted) are in id order (as the whole-table load read them); later ones were appended by refreshes */
  sorted: number
}

/**
 * How far before the latest updated_at seen a refresh starts reading: updated_at is the writer's
 * transaction start, so a transaction that began before the last read but committed after it carries
 * an older stamp. Writes here are single requests, each statement under STATEMENT_TIMEOUT_MS (15 s).
 */
export const REFRESH_MARGIN_S = 60
/** a refresh that would re-read more than this share of the rows loads the whole table instead */
const REFRESH_MAX_SHARE = 0.2

type Row = [string, StationKind, StationStatus, number, number, string, number | null, string | null, number]

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
  let updatedMax: number | null = null
  for (;;) {
    const rows: Row[] = await sql`
      SELECT id::text, kind, status, ST_X(geom), ST_Y(geom), name, radius_m, opening_hours, extract(epoch FROM updated_at)::float8
        FROM station
       ${after ? sql`WHERE id > ${after}::uuid` : sql``}
       -- station.id, not id: that would name the id::text output column, sorting text by a seq scan and
       -- a sort of the whole table per page (2.5 s at 10^6) instead of walking station_pkey (same order)
       ORDER BY station.id
       LIMIT ${PAGE}`.values() as never
    for (const r of rows) {
      if (updatedMax === null || r[8] > updatedMax) updatedMax = r[8]
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
    updatedMax,
    sorted: id.length,
  }
}

/**
 * The row of `id` in `p`: a binary search over the rows loaded in id order (uuid text sorts as
 * PostgreSQL sorts uuids: lower-case hex, dashes in fixed places), then the few appended since. No
 * Map over 10^6 ids per refresh: that took ~0.3 s of the request thread and ~60 MB.
 */
function rowOf(p: StationProjection, id: string, appended: Map<string, number>): number | undefined {
  let lo = 0
  let hi = p.sorted
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    const v = p.id[mid]!
    if (v === id) return mid
    if (v < id) lo = mid + 1
    else hi = mid
  }
  return appended.get(id)
}

/**
 * The projection brought up to `version` by reading only the rows changed since `old` was read
 * (station_updated_idx, migration 016) instead of the whole table: one edit costs a few rows, not
 * 10^5. Rows are matched by id and replaced, new ones appended. A row count that then disagrees with
 * the table's means rows were deleted (or missed): the whole table is loaded again, as it is when
 * the change is bulk (more than a fifth of the rows). `old` is not modified: tiles being encoded
 * from it keep their row numbers.
 */
export async function refreshStationProjection(sql: Sql, old: StationProjection, version: number): Promise<StationProjection> {
  if (old.updatedMax === null) return loadStationProjection(sql, version)
  const limit = Math.max(1000, Math.ceil(old.count * REFRESH_MAX_SHARE))
  const rows: Row[] = await sql`
    SELECT id::text, kind, status, ST_X(geom), ST_Y(geom), name, radius_m, opening_hours, extract(epoch FROM updated_at)::float8
      FROM station
     WHERE updated_at >= to_timestamp(${old.updatedMax - REFRESH_MARGIN_S}::float8)
     LIMIT ${limit + 1}`.values() as never
  if (rows.length > limit) return loadStationProjection(sql, version)
  const n = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station`)[0]!.n
  const appended = new Map<string, number>()
  for (let i = old.sorted; i < old.count; i++) appended.set(old.id[i]!, i)
  const known = rows.map((r) => rowOf(old, r[0], appended))
  const added = known.filter((i) => i === undefined).length
  if (old.count + added !== n) return loadStationProjection(sql, version)
  const count = old.count + added
  const grow = <T extends Float64Array | Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
    const b = make(count)
    b.set(a)
    return b
  }
  const p: StationProjection = {
    version,
    count,
    id: old.id.slice(),
    name: old.name.slice(),
    lon: grow(old.lon, (k) => new Float64Array(k)),
    lat: grow(old.lat, (k) => new Float64Array(k)),
    kind: grow(old.kind, (k) => new Uint8Array(k)),
    status: grow(old.status, (k) => new Uint8Array(k)),
    radius: grow(old.radius, (k) => new Int32Array(k)),
    hours: old.hours.slice(),
    updatedMax: old.updatedMax,
    sorted: old.sorted,
  }
  let next = old.count
  for (const [k, r] of rows.entries()) {
    let i = known[k]
    if (i === undefined) i = next++
    p.id[i] = r[0]
    p.kind[i] = STATION_KINDS.indexOf(r[1])
    p.status[i] = STATION_STATUSES.indexOf(r[2])
    p.lon[i] = r[3]
    p.lat[i] = r[4]
    p.name[i] = r[5]
    p.radius[i] = r[6] ?? 0
    p.hours[i] = r[7]
    if (r[8] > p.updatedMax!) p.updatedMax = r[8]
  }
  return p
}
