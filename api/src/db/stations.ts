import { coverageRadius, type Amenity, type StationKind, type StationSource, type StationStatus } from '../core/station-kinds.ts'
import { initialBearing } from '../core/initial-bearing.ts'
import { isOpenAt } from '../core/is-open-at.ts'
import { cancellable } from './cancellable.ts'
import type { Sql } from './connect.ts'

interface StationRow {
  id: string
  external_id: string | null
  kind: StationKind
  name: string
  region_code: string | null
  address: string | null
  opening_hours: string | null
  amenities: Amenity[]
  phone: string | null
  operator: string | null
  capacity: number | null
  status: StationStatus
  radius_m: number | null
  source: StationSource
  version: number
  created_at: Date
  updated_at: Date
  geometry: { type: 'Point'; coordinates: [number, number] }
}

export type StationFeature = ReturnType<typeof toFeature>

function toFeature(row: StationRow) {
  const { geometry, created_at, updated_at, ...rest } = row
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry,
    properties: {
      ...rest,
      coverage_radius_m: coverageRadius(row.kind, row.radius_m),
      created_at: created_at.toISOString(),
      updated_at: updated_at.toISOString(),
    },
  }
}

export interface StationFilter {
  kinds?: StationKind[]
  /** region codes (a city expanded to its counties by the caller) */
  regionCodes?: string[]
  bbox?: [number, number, number, number]
  statuses?: StationStatus[]
  limit: number
  /** only ids greater than this (keyset paging) */
  afterId?: string
}

/** Stations matching the filter, ordered by id, one page; `more` says whether another page exists. */
export async function listStations(sql: Sql, f: StationFilter) {
  const rows = await sql<StationRow[]>`
    SELECT ${columns(sql)}
      FROM station
     WHERE status = ANY(${f.statuses ?? ['planned', 'active']})
       ${f.kinds ? sql`AND kind = ANY(${f.kinds})` : sql``}
       ${f.regionCodes ? sql`AND region_code = ANY(${f.regionCodes})` : sql``}
       -- && on the geometry column uses station_geom_gix
       ${f.bbox ? sql`AND geom && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)` : sql``}
       ${f.afterId ? sql`AND id > ${f.afterId}` : sql``}
     ORDER BY id
     LIMIT ${f.limit + 1}`
  const more = rows.length > f.limit
  return { features: rows.slice(0, f.limit).map(toFeature), more }
}

export async function getStation(sql: Sql, id: string) {
  const [row] = await sql<StationRow[]>`SELECT ${columns(sql)} FROM station WHERE id = ${id}`
  return row ? toFeature(row) : null
}

export interface NearestQuery {
  lon: number
  lat: number
  kinds?: StationKind[]
  limit: number
  openAt?: Date
  amenities?: Amenity[]
  maxDistance?: number
}

/** The most candidates one nearest request reads while looking for stations open at `openAt`. */
export const MAX_NEAREST_WINDOW = 10_000

/**
 * The nearest query for one window: the `window + 1` active stations nearest to the point that pass
 * the SQL filters, by great-circle distance, sorted by (distance, id).
 *
 * The inner query orders by `<->` alone, so PostgreSQL 15 and 18 both walk the GiST index
 * station_geog_gix nearest-first and stop after the LIMIT; a tie-break column in that ORDER BY makes
 * PostgreSQL 15 sort every station instead (issue 13: 509–690 ms vs 0.2 ms at 10^5 rows). The id
 * tie-break is applied outside, to at most `window + 1` rows; the extra row tells the caller whether
 * a tie straddles the cut (see nearestStations). Exported so the EXPLAIN test checks this very SQL.
 */
export function nearestQuery(sql: Sql, q: NearestQuery, window: number) {
  const origin = sql`ST_SetSRID(ST_MakePoint(${q.lon}, ${q.lat}), 4326)::geography`
  return sql<(StationRow & { distance_m: number })[]>`
    SELECT * FROM (
      SELECT ${columns(sql)}, ST_Distance(geography(station.geom), ${origin}, false) AS distance_m
        FROM station
       WHERE status = 'active'
         ${q.kinds ? sql`AND kind = ANY(${q.kinds})` : sql``}
         ${q.amenities ? sql`AND amenities @> ${q.amenities}::text[]` : sql``}
         -- ST_DWithin on geography is an index condition on the same GiST index as the KNN order
         ${q.maxDistance ? sql`AND ST_DWithin(geography(station.geom), ${origin}, ${q.maxDistance}, false)` : sql``}
       ORDER BY geography(station.geom) <-> ${origin}
       LIMIT ${window + 1}
    ) nearest
    ORDER BY distance_m, id`
}

/**
 * Active stations nearest to a point, by great-circle distance on the sphere, ties by id.
 * Opening hours are checked in JS (no SQL evaluator for OSM opening_hours), so with `openAt` the
 * window widens until enough are open — at most MAX_NEAREST_WINDOW candidates, so one request stays
 * bounded (a point with no open station among its 10,000 nearest gets fewer than `limit`).
 */
export async function nearestStations(sql: Sql, q: NearestQuery, signal?: AbortSignal) {
  const origin: [number, number] = [q.lon, q.lat]
  let window = Math.min(q.openAt ? q.limit * 4 + 16 : q.limit, MAX_NEAREST_WINDOW)
  for (;;) {
    const fetched = await cancellable(nearestQuery(sql, q, window), signal)
    const exhausted = fetched.length <= window
    // The KNN LIMIT cuts ties arbitrarily. Every station nearer than the last row's distance is in the
    // window; one exactly at it may be missing when the look-ahead row ties with it (two stations at one
    // distance: rare), so a result reaching that distance needs a wider window.
    const cut = fetched[window - 1]?.distance_m ?? Infinity
    const tieAtCut = !exhausted && fetched[window]!.distance_m === cut
    const rows = fetched.slice(0, window)
    const features = rows.map(({ distance_m, ...row }) => {
      const f = toFeature(row)
      const open = q.openAt ? isOpenAt(row.opening_hours, q.openAt) : undefined
      return {
        ...f,
        properties: {
          ...f.properties,
          distance_m,
          bearing_deg: initialBearing(origin, f.geometry.coordinates),
          ...(open !== undefined ? { open } : {}),
        },
      }
    })
    const kept = q.openAt ? features.filter((f) => f.properties.open === true) : features
    const enough = kept.length >= q.limit && !(tieAtCut && kept[q.limit - 1]!.properties.distance_m >= cut)
    // Stop when we have enough, the window already held every candidate, or the bound is reached.
    if (enough || exhausted || window >= MAX_NEAREST_WINDOW) return kept.slice(0, q.limit)
    window = Math.min(window * 4, MAX_NEAREST_WINDOW)
  }
}

function columns(sql: Sql) {
  return sql`station.id, external_id, kind, name, region_code, address, opening_hours, amenities, phone, operator,
             capacity, status, radius_m, source, version, created_at, updated_at,
             ST_AsGeoJSON(station.geom, 7)::json AS geometry`
}
