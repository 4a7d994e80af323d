/**
 * The scale guards of issue 13: with ~10^5 stations, the nearest and coverage-site queries the routes run
 * (the exported builders, EXPLAINed as they are) read station through its indexes on this database — the
 * embedded PostgreSQL 18 and, in CI, PostgreSQL 15 — and the coverage selection still picks exactly the
 * stations the old "ST_DWithin against every station" query picked.
 */
import type { PendingQuery } from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KIND_INFO, STATION_KINDS } from '../core/station-kinds.ts'
import { repoPath } from '../paths.ts'
import { startTestApi } from '../../test/test-app.ts'
import { coverageSites, coverageSitesQuery, type CoverageSitesQuery } from './coverage-sites.ts'
import { nearestQuery, nearestStations, type NearestQuery } from './stations.ts'
import type { Sql } from './connect.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
const JINXIANG = '370828'
const WIDEST = Math.max(...STATION_KINDS.map((k) => KIND_INFO[k].radius_m))

/** Inserts `count` pseudo-random stations in a lon/lat box (deterministic: hashed from the row number). */
async function insertStations(sql: Sql, count: number, from: number, box: [number, number, number, number], region: string | null) {
  const [w, s, e, n] = box
  await sql`
    INSERT INTO station (external_id, kind, name, region_code, geom, opening_hours, amenities, status, radius_m, source)
    SELECT 'plan-' || i, (ARRAY['service_centre', 'red_sail', 'rider_rest', 'worksite'])[1 + i % 4], 'plan test ' || i,
           CASE WHEN i % 10 = 0 THEN ${region} END,
           ST_SetSRID(ST_MakePoint(${w}::float8 + (${e}::float8 - ${w}::float8) * ((hashint4(i) & 1048575) / 1048576.0),
                                   ${s}::float8 + (${n}::float8 - ${s}::float8) * ((hashint4(i + 7919) & 1048575) / 1048576.0)), 4326),
           CASE WHEN i % 3 = 0 THEN '24/7' ELSE 'Mo-Su 07:00-22:00' END,
           CASE WHEN i % 5 = 0 THEN ARRAY['water', 'charging'] ELSE ARRAY['water'] END,
           CASE WHEN i % 50 = 0 THEN 'retired' ELSE 'active' END,
           CASE WHEN i % 97 = 0 THEN 50000 WHEN i % 31 = 0 THEN 5000 END,
           'demo-scale'
      FROM generate_series(${from}::int, ${from + count - 1}::int) AS i`
}

interface PlanNode {
  'Node Type': string
  'Relation Name'?: string
  'Index Name'?: string
  'Order By'?: string
  Plans?: PlanNode[]
}

async function explain(sql: Sql, query: PendingQuery<any>, generic = false): Promise<PlanNode> {
  // generic: the plan a prepared statement may switch to after five runs (parameters unknown)
  const run = (tx: Sql) => tx<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>`EXPLAIN (FORMAT JSON) ${query}`
  const rows = generic
    ? await sql.begin(async (tx) => {
        await tx`SET LOCAL plan_cache_mode = force_generic_plan`
        return run(tx as unknown as Sql)
      })
    : await run(sql)
  return rows[0]!['QUERY PLAN'][0].Plan
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)]
}

/** Whether the node reads station rows not cut by a LIMIT below it. */
function readsStationUnlimited(plan: PlanNode): boolean {
  if (plan['Node Type'] === 'Limit') return false
  if (plan['Relation Name'] === 'station') return true
  return (plan.Plans ?? []).some(readsStationUnlimited)
}

/** Sort nodes over station rows no LIMIT has cut, i.e. sorts of every matching station. */
function unboundedSortsOverStation(plan: PlanNode): string[] {
  const isSort = plan['Node Type'] === 'Sort' || plan['Node Type'] === 'Incremental Sort'
  const here = isSort && (plan.Plans ?? []).some(readsStationUnlimited) ? [plan['Node Type']] : []
  return [...here, ...(plan.Plans ?? []).flatMap(unboundedSortsOverStation)]
}

const stationScans = (plan: PlanNode) => nodes(plan).filter((n) => n['Relation Name'] === 'station' || n['Index Name']?.startsWith('station_'))

beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: repoPath('data/regions.geojson') } })
  // 1,000 around 金乡县 (its bbox and 0.6° beyond: many stations near the county line) to compare
  // selections with the old query while it is still cheap, then ~10^5 over Shandong for the plans
  await insertStations(api.sql, 1_000, 0, [115.5, 34.4, 117.0, 35.7], JINXIANG)
}, 120_000)
afterAll(async () => {
  await api?.close()
})

/** The station selection as it was before issue 13: ST_DWithin to the outline against every station. */
async function oldCoverageIds(q: CoverageSitesQuery) {
  const rows = await api.sql<{ id: string }[]>`
    SELECT s.id FROM station s
     WHERE s.status = 'active'
       ${q.kinds ? api.sql`AND s.kind = ANY(${q.kinds})` : api.sql``}
       AND (s.region_code = ANY(${q.regionCodes})
            OR EXISTS (SELECT 1 FROM region r
                        WHERE r.code = ANY(${q.regionCodes})
                          AND ST_DWithin(geography(r.geom), geography(s.geom), coalesce(${q.radiusM ?? null}::float8, s.radius_m, ${WIDEST}), false)))
     ORDER BY s.id`
  return rows.map((r) => r.id)
}

const JINING_COUNTIES = ['370811', '370812', '370826', '370827', '370828', '370829', '370830', '370831', '370832', '370881', '370883']

describe('coverage station selection through station_geom_gix', () => {
  it.each<[string, CoverageSitesQuery]>([
    ['every kind, own radii', { kinds: null, regionCodes: [JINXIANG] }],
    ['rider rest stops', { kinds: ['rider_rest'], regionCodes: [JINXIANG] }],
    ['one radius of 800 m', { kinds: null, regionCodes: [JINXIANG], radiusM: 800 }],
    ['one radius of 40 km', { kinds: ['worksite', 'red_sail'], regionCodes: [JINXIANG], radiusM: 40_000 }],
    ['two counties', { kinds: ['service_centre'], regionCodes: [JINXIANG, '370829'] }],
  ])('selects exactly what ST_DWithin against every station selected: %s', async (_name, q) => {
    const old = await oldCoverageIds(q)
    const now = (await coverageSites(api.sql, q)).sites.map((s) => s.id)
    expect(now).toEqual(old)
    expect(now.length).toBeGreaterThan(0)
  })

  it('reaches as far as the largest own radius (50 km) beyond the county line', async () => {
    const q: CoverageSitesQuery = { kinds: null, regionCodes: [JINXIANG] }
    const ids = new Set((await coverageSites(api.sql, q)).sites.map((s) => s.id))
    const [far] = await api.sql<{ id: string; d: number }[]>`
      SELECT s.id, ST_Distance(geography(r.geom), geography(s.geom), false) AS d FROM station s, region r
       WHERE r.code = ${JINXIANG} AND s.status = 'active' AND s.radius_m = 50000
       ORDER BY d DESC LIMIT 1`
    expect(far!.d).toBeGreaterThan(WIDEST)
    expect(ids.has(far!.id)).toBe(far!.d <= 50_000)
  })
})

describe('query plans at 10^5 stations', () => {
  beforeAll(async () => {
    await insertStations(api.sql, 99_000, 1_000, [114.8, 34.4, 122.7, 38.4], null)
    await api.sql`ANALYZE station`
  }, 120_000)

  const point = { lon: 116.31, lat: 35.07 }
  it.each<[string, NearestQuery, number]>([
    ['plain', { ...point, limit: 5 }, 5],
    ['kinds', { ...point, limit: 5, kinds: ['rider_rest', 'worksite'] }, 5],
    ['amenities', { ...point, limit: 5, amenities: ['charging'] }, 5],
    ['max_distance_m', { ...point, limit: 10, maxDistance: 3000 }, 10],
    ['open_at window', { ...point, limit: 5, openAt: new Date('2026-11-30T12:00:00+08:00') }, 36],
  ])('nearest (%s) walks station_geog_gix in KNN order and sorts no unbounded station rows', async (_name, q, window) => {
    for (const generic of [false, true]) {
      const plan = await explain(api.sql, nearestQuery(api.sql, q, window), generic)
      const scans = stationScans(plan)
      expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan')
      expect(scans.some((n) => n['Node Type'] === 'Index Scan' && n['Index Name'] === 'station_geog_gix' && n['Order By']?.includes('<->'))).toBe(true)
      expect(unboundedSortsOverStation(plan)).toEqual([])
    }
  })

  it('breaks ties at the cut by id, as the old ORDER BY <->, id did', async () => {
    // six stations at one point: which of them a KNN LIMIT keeps is arbitrary, the answer must not be
    const at = { lon: 121.123457, lat: 37.123457 }
    const inserted = await api.sql<{ id: string }[]>`
      INSERT INTO station (external_id, kind, name, geom, source)
      SELECT 'tie-' || i, 'rider_rest', 'tie ' || i, ST_SetSRID(ST_MakePoint(${at.lon}, ${at.lat}), 4326), 'demo-scale'
        FROM generate_series(1, 6) AS i RETURNING id`
    const ids = inserted.map((r) => r.id).sort()
    for (const limit of [1, 2, 5]) {
      const got = await nearestStations(api.sql, { ...at, limit })
      expect(got.map((f) => f.id)).toEqual(ids.slice(0, limit))
    }
  })

  it.each<[string, CoverageSitesQuery]>([
    ['rider rest stops in 金乡县', { kinds: ['rider_rest'], regionCodes: [JINXIANG] }],
    ['every kind, one radius', { kinds: null, regionCodes: [JINXIANG], radiusM: 2000 }],
    ['a whole city', { kinds: ['red_sail'], regionCodes: JINING_COUNTIES }],
  ])('coverage sites (%s) read station through its indexes only, the box through station_geom_gix', async (_name, q) => {
    for (const generic of [false, true]) {
      const plan = await explain(api.sql, coverageSitesQuery(api.sql, q), generic)
      const scans = stationScans(plan)
      expect(scans.map((n) => n['Node Type'])).not.toContain('Seq Scan')
      expect(scans.some((n) => n['Index Name'] === 'station_geom_gix')).toBe(true)
    }
  })

})
