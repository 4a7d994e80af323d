import type { Sql } from './connect.ts'
import { NotFoundError } from './errors.ts'

export interface RegionRow {
  code: string
  name: string
  name_en: string
  level: 'province' | 'city' | 'county'
  parent_code: string | null
  focus: boolean
  label_lon: number | null
  label_lat: number | null
  station_count: number
  geometry: { type: 'MultiPolygon'; coordinates: [number, number][][][] }
}

/**
 * All regions (or, with `codes`, only those) with their geometry and how many planned/active stations
 * each holds (cities count their counties).
 */
export async function listRegions(sql: Sql, codes?: string[]): Promise<RegionRow[]> {
  return sql<RegionRow[]>`
    SELECT r.code, r.name, r.name_en, r.level, r.parent_code, r.focus,
           ST_X(r.label) AS label_lon, ST_Y(r.label) AS label_lat,
           -- region_station_count is kept exact by triggers on station (migration 009): no scan of station here
           (SELECT coalesce(sum(n.stations), 0)::int FROM region_station_count n
             WHERE n.region_code = r.code OR n.region_code IN (SELECT c.code FROM region c WHERE c.parent_code = r.code)
           ) AS station_count,
           ST_AsGeoJSON(r.geom, 6)::json AS geometry
      FROM region r
     ${codes ? sql`WHERE r.code = ANY(${codes})` : sql``}
     ORDER BY r.code`
}

export interface RegionSummaryRow extends Omit<RegionRow, 'geometry'> {
  /** [west, south, east, north] of the region's outline, degrees */
  bbox: [number, number, number, number]
  /** planned and active stations coded to this region itself (not its counties), per kind */
  own_station_counts: Record<string, number>
  /** how many of those are demo data (source demo or demo-scale) */
  own_demo_count: number
}

/**
 * Every region without its outline: names, level, label point, bounding box and station counts
 * (migrations 009 and 016, kept by triggers: no scan of station), for pages that draw the outlines
 * from region tiles. About 200 bytes a region instead of its polygon.
 */
export async function listRegionSummaries(sql: Sql): Promise<RegionSummaryRow[]> {
  const rows = await sql<(Omit<RegionSummaryRow, 'bbox'> & { w: number; s: number; e: number; n: number })[]>`
    SELECT r.code, r.name, r.name_en, r.level, r.parent_code, r.focus,
           ST_X(r.label) AS label_lon, ST_Y(r.label) AS label_lat,
           (SELECT coalesce(sum(n.stations), 0)::int FROM region_station_count n
             WHERE n.region_code = r.code OR n.region_code IN (SELECT c.code FROM region c WHERE c.parent_code = r.code)
           ) AS station_count,
           coalesce((SELECT json_object_agg(k.kind, k.stations) FROM region_kind_count k WHERE k.region_code = r.code AND k.stations > 0), '{}'::json) AS own_station_counts,
           (SELECT coalesce(sum(k.demo), 0)::int FROM region_kind_count k WHERE k.region_code = r.code) AS own_demo_count,
           ST_XMin(r.geom) AS w, ST_YMin(r.geom) AS s, ST_XMax(r.geom) AS e, ST_YMax(r.geom) AS n
      FROM region r
     ORDER BY r.code`
  return rows.map(({ w, s, e, n, own_station_counts, ...r }) => ({
    ...r,
    own_station_counts: Object.fromEntries(Object.entries(own_station_counts).map(([k, v]) => [k, Number(v)])),
    bbox: [w, s, e, n],
  }))
}

/** The codes a region filter means: the region itself and, for a city, its counties. Empty when unknown. */
export async function regionAndChildren(sql: Sql, code: string): Promise<string[]> {
  const rows = await sql<{ code: string }[]>`SELECT code FROM region WHERE code = ${code} OR parent_code = ${code}`
  return rows.map((r) => r.code)
}

/** regionAndChildren for a request's `region` parameter: an unknown code throws NotFoundError naming it (→ 404). */
export async function requireRegion(sql: Sql, code: string): Promise<string[]> {
  const codes = await regionAndChildren(sql, code)
  if (codes.length === 0) throw new NotFoundError('region', code, `region: no region has code ${code}`)
  return codes
}

/** The county whose polygon contains the point (WGS-84), or null. */
export async function countyAt(sql: Sql, lon: number, lat: number): Promise<string | null> {
  const [row] = await sql<{ code: string }[]>`
    SELECT code FROM region
     WHERE level = 'county' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))
     ORDER BY code LIMIT 1`
  return row?.code ?? null
}

/** `region=all` in a planning request: every county and city of the data set. */
export const ALL_REGIONS = 'all'

/**
 * The codes a planning request's `region` means: `all` → every region; a county or city → itself and
 * its counties (regionAndChildren); a province code (two digits and 0000, e.g. 230000 黑龙江省, which
 * the region table need not hold) → every region whose code starts with its two digits (its cities
 * and their counties: GB/T 2260 codes nest by prefix).
 * Unknown, or a province with no regions loaded → NotFoundError naming it (→ 404).
 */
export async function requirePlanningRegion(sql: Sql, code: string): Promise<string[]> {
  if (code === ALL_REGIONS) {
    const rows = await sql<{ code: string }[]>`SELECT code FROM region ORDER BY code`
    return rows.map((r) => r.code)
  }
  // a province's cities name it as their parent, but its counties name their city: match by prefix
  if (!/^[0-9]{2}0000$/.test(code)) return requireRegion(sql, code)
  // region.code is text: a prefix LIKE on it is a btree range scan of the primary key
  const rows = await sql<{ code: string }[]>`SELECT code FROM region WHERE code LIKE ${code.slice(0, 2) + '%'} ORDER BY code`
  if (rows.length === 0) throw new NotFoundError('region', code, `region: no counties of province ${code} are loaded`)
  return rows.map((r) => r.code)
}
