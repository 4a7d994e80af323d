import { coverageRadius, type Amenity, type StationKind, type StationStatus } from '../core/station-kinds.ts'
import { initialBearing } from '../core/initial-bearing.ts'
import { isOpenAt } from '../core/is-open-at.ts'
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
  source: 'demo' | 'import' | 'manual'
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

/**
 * Active stations nearest to a point, by great-circle distance on the sphere.
 * KNN (`<->` on geography, index-assisted) orders; opening hours are checked in JS
 * (no SQL evaluator for OSM opening_hours), so we widen the KNN window until enough are open.
 */
export async function nearestStations(sql: Sql, q: NearestQuery) {
  const origin: [number, number] = [q.lon, q.lat]
  let window = q.openAt ? q.limit * 4 + 16 : q.limit
  for (;;) {
    const rows = await sql<(StationRow & { distance_m: number })[]>`
      WITH p AS (SELECT ST_SetSRID(ST_MakePoint(${q.lon}, ${q.lat}), 4326)::geography AS g)
      SELECT ${columns(sql)}, ST_Distance(geography(station.geom), p.g, false) AS distance_m
        FROM station, p
       WHERE status = 'active'
         ${q.kinds ? sql`AND kind = ANY(${q.kinds})` : sql``}
         ${q.amenities ? sql`AND amenities @> ${q.amenities}::text[]` : sql``}
         ${q.maxDistance ? sql`AND ST_DWithin(geography(station.geom), p.g, ${q.maxDistance}, false)` : sql``}
       ORDER BY geography(station.geom) <-> p.g, id
       LIMIT ${window}`
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
    // Stop when we have enough, or the window already held every candidate.
    if (kept.length >= q.limit || rows.length < window) return kept.slice(0, q.limit)
    window *= 4
  }
}

function columns(sql: Sql) {
  return sql`station.id, external_id, kind, name, region_code, address, opening_hours, amenities, phone, operator,
             capacity, status, radius_m, source, version, created_at, updated_at,
             ST_AsGeoJSON(station.geom, 7)::json AS geometry`
}
