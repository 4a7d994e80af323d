import type { Site } from '../core/demand-item.ts'
import { isOpenAt } from '../core/is-open-at.ts'
import { coverageRadius, KIND_INFO, STATION_KINDS, type StationKind } from '../core/station-kinds.ts'
import { cancellable } from './cancellable.ts'
import type { Sql } from './connect.ts'

export interface CoverageSitesQuery {
  /** null: every kind */
  kinds: StationKind[] | null
  /** county codes of the area being planned */
  regionCodes: string[]
  /** one radius for all, metres; otherwise each station's own (or its kind's default) */
  radiusM?: number
  /** only stations open then (China Standard Time); stations with unknown hours are left out */
  at?: Date
  /** cancels the query when it aborts (the HTTP client went away) */
  signal?: AbortSignal
}

export interface CoverageSites {
  sites: (Site & { kind: StationKind; name: string })[]
  /** active stations left out because they are closed at `at` */
  closed: number
  /** active stations left out because their hours are missing or unparseable */
  unknownHours: number
}

/** The widest default radius: how far outside the area a station without its own radius can still reach in. */
const WIDEST_DEFAULT_M = Math.max(...STATION_KINDS.map((k) => KIND_INFO[k].radius_m))

/** Sphere radius PostGIS uses for geography distances with use_spheroid = false, metres. */
const EARTH_RADIUS_M = 6_371_008.8

type SiteRow = { id: string; kind: StationKind; name: string; radius_m: number | null; opening_hours: string | null; lon: number; lat: number }

/**
 * The station selection as one query, exported so the EXPLAIN test checks this very SQL.
 *
 * Two index paths, disjoint: stations coded to the counties (station_region_idx), and stations coded
 * elsewhere near them found through station_geom_gix with a planar box — each county's bbox grown by the largest
 * reach any station can have — before the exact spherical ST_DWithin to the county outline. The box
 * is conservative: a spherical cap of angular radius d around a point at latitude φ spans at most
 * d in latitude and asin(sin d / cos φ) in longitude, and φ is bounded by the bbox's edge farthest
 * from the equator; 1 % and 0.001° more cover float error and great-circle edges bulging past the
 * planar bbox. So the result is exactly the old "ST_DWithin against every station", read through an index.
 */
export function coverageSitesQuery(sql: Sql, q: CoverageSitesQuery) {
  const kindFilter = q.kinds ? sql`AND s.kind = ANY(${q.kinds})` : sql``
  // the farthest any selected station can reach: the request's radius, or the largest own radius
  // (station_radius_idx answers max() from the index end) and the widest kind default
  const reach = q.radiusM !== undefined
    ? sql`${q.radiusM}::float8`
    : sql`greatest((SELECT max(radius_m) FROM station WHERE radius_m IS NOT NULL), ${WIDEST_DEFAULT_M})::float8`
  return sql<SiteRow[]>`
    WITH reach AS (SELECT ${reach} / ${EARTH_RADIUS_M}::float8 * 1.01 AS rad),
    area AS (
      SELECT r.code, r.geom, degrees(reach.rad) + 0.001 AS dy,
             CASE WHEN sin(reach.rad) >= cos(radians(greatest(abs(ST_YMin(r.geom)), abs(ST_YMax(r.geom))))) THEN 360
                  ELSE degrees(asin(sin(reach.rad) / cos(radians(greatest(abs(ST_YMin(r.geom)), abs(ST_YMax(r.geom))))))) + 0.001
             END AS dx
        FROM region r, reach
       WHERE r.code = ANY(${q.regionCodes}))
    SELECT s.id, s.kind, s.name, s.radius_m, s.opening_hours, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
      FROM station s
     WHERE s.status = 'active' ${kindFilter}
       AND s.region_code = ANY(${q.regionCodes})
    UNION ALL
    SELECT DISTINCT s.id, s.kind, s.name, s.radius_m, s.opening_hours, ST_X(s.geom) AS lon, ST_Y(s.geom) AS lat
      FROM area a
      JOIN station s ON s.geom && ST_Expand(a.geom, a.dx, a.dy)
     WHERE s.status = 'active' ${kindFilter}
       -- the first branch has these already: the exact test (~0.1 ms a station) runs only on stations
       -- coded elsewhere, i.e. those across the county line
       AND (s.region_code IS NULL OR NOT s.region_code = ANY(${q.regionCodes}))
       -- geography distance to the county outline, on the sphere like every figure here
       AND ST_DWithin(geography(a.geom), geography(s.geom), coalesce(${q.radiusM ?? null}::float8, s.radius_m, ${WIDEST_DEFAULT_M}), false)
     ORDER BY id`
}

/**
 * Active stations whose reach can touch the area: inside its counties or within their radius of its
 * boundary (a station across the county line still serves the people near it).
 */
export async function coverageSites(sql: Sql, q: CoverageSitesQuery): Promise<CoverageSites> {
  if (q.regionCodes.length === 0) return { sites: [], closed: 0, unknownHours: 0 }
  const rows = await cancellable(coverageSitesQuery(sql, q), q.signal)
  const out: CoverageSites = { sites: [], closed: 0, unknownHours: 0 }
  for (const r of rows) {
    if (q.at) {
      const open = isOpenAt(r.opening_hours, q.at)
      if (open === null) {
        out.unknownHours++
        continue
      }
      if (!open) {
        out.closed++
        continue
      }
    }
    out.sites.push({ id: r.id, kind: r.kind, name: r.name, lon: r.lon, lat: r.lat, radius_m: q.radiusM ?? coverageRadius(r.kind, r.radius_m) })
  }
  return out
}
