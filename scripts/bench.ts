/**
 * `npm run bench`: our coverage core against the same computation in PostGIS, and our siting
 * solver against the HiGHS optimum — side by side in one run (this machine is shared and noisy:
 * read the ratios). With DATABASE_URL the PostGIS side is that server; without, the embedded PGlite.
 *
 *   npm run bench                      # both parts
 *   npm run bench -- --part coverage   # or: siting
 *   npm run bench -- --k 5 --time-limit 600
 */
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { parseArgs } from 'node:util'
import { cellToLatLng, polygonToCells } from 'h3-js'
import { buildCoverageSets } from '../api/src/core/coverage-sets.ts'
import { computeCoverage } from '../api/src/core/coverage.ts'
import type { DemandItem, Site } from '../api/src/core/demand-item.ts'
import { buildGeoIndex } from '../api/src/core/geo-index.ts'
import { maximalCovering } from '../api/src/core/maximal-covering.ts'
import { coverageRadius, type StationKind } from '../api/src/core/station-kinds.ts'
import { exactMaximalCovering } from '../api/src/core/test/exact-mclp.ts'
import { connect, type Sql } from '../api/src/db/connect.ts'
import { repoPath } from '../api/src/paths.ts'
import { readModel, settlementsOf } from './build-demand.ts'
import { populationWeight } from './population-model.ts'

const { values: args } = parseArgs({
  options: {
    part: { type: 'string', default: 'all' },
    k: { type: 'string', default: '5' },
    'time-limit': { type: 'string', default: '900' },
    runs: { type: 'string', default: '3' },
  },
})
const RUNS = Number(args.runs)

interface StationFile {
  features: { geometry: { coordinates: [number, number] }; properties: { external_id: string; kind: StationKind; status: string; radius_m?: number | null; region_code: string } }[]
}
const regions = JSON.parse(readFileSync(repoPath('data/regions.geojson'), 'utf8')) as {
  features: { properties: { code: string; parent_code: string | null; level: string }; geometry: { coordinates: number[][][][] } }[]
}
const stations = (JSON.parse(readFileSync(repoPath('data/demo/stations.geojson'), 'utf8')) as StationFile).features

function activeSites(codes: string[], kind?: StationKind): Site[] {
  return stations
    .filter((s) => s.properties.status === 'active' && codes.includes(s.properties.region_code) && (!kind || s.properties.kind === kind))
    .map((s) => ({ id: s.properties.external_id, lon: s.geometry.coordinates[0], lat: s.geometry.coordinates[1], radius_m: coverageRadius(s.properties.kind, s.properties.radius_m) }))
}

async function median(f: () => unknown | Promise<unknown>, runs = RUNS): Promise<number> {
  await f() // warm-up: JIT, caches, index pages
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await f()
    ms.push(performance.now() - t0)
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!
}

const fmt = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(1)} ms`)

/** Every res-9 cell of 黑河市's six divisions, weighted by the population model (no threshold). */
function heiheCells(): DemandItem[] {
  const model = readModel()
  const out: DemandItem[] = []
  for (const f of regions.features.filter((r) => r.properties.parent_code === '231100')) {
    const county = model.counties.find((c) => c.code === f.properties.code)
    if (!county) throw new Error(`population model has no county ${f.properties.code}`)
    const settlements = settlementsOf(county, model.model)
    for (const polygon of f.geometry.coordinates) {
      for (const h3 of polygonToCells(polygon, 9, true)) {
        const [lat, lon] = cellToLatLng(h3)
        out.push({ h3, lon, lat, weight: populationWeight(h3, settlements), region_code: f.properties.code })
      }
    }
  }
  return out
}

async function loadIntoPostgis(sql: Sql, cells: DemandItem[], sites: Site[]) {
  await sql`DROP TABLE IF EXISTS bench_cell, bench_site`
  await sql`CREATE TABLE bench_cell (id int PRIMARY KEY, weight float8 NOT NULL, geom geometry(Point, 4326) NOT NULL)`
  await sql`CREATE TABLE bench_site (id int PRIMARY KEY, r float8 NOT NULL, geom geometry(Point, 4326) NOT NULL)`
  for (let i = 0; i < cells.length; i += 20_000) {
    const batch = cells.slice(i, i + 20_000).map((c, j) => [i + j, c.weight, c.lon, c.lat])
    await sql`INSERT INTO bench_cell SELECT (r->>0)::int, (r->>1)::float8, ST_SetSRID(ST_MakePoint((r->>2)::float8, (r->>3)::float8), 4326)
                FROM jsonb_array_elements(${sql.json(batch)}::jsonb) r`
  }
  const rows = sites.map((s, i) => [i, s.radius_m, s.lon, s.lat])
  await sql`INSERT INTO bench_site SELECT (r->>0)::int, (r->>1)::float8, ST_SetSRID(ST_MakePoint((r->>2)::float8, (r->>3)::float8), 4326)
              FROM jsonb_array_elements(${sql.json(rows)}::jsonb) r`
  // the same indexes the product's tables have: GiST on geography for ST_DWithin and KNN
  await sql`CREATE INDEX ON bench_cell USING gist (geography(geom))`
  await sql`CREATE INDEX ON bench_site USING gist (geography(geom))`
  await sql`ANALYZE bench_cell`
  await sql`ANALYZE bench_site`
}

async function benchCoverage(sql: Sql) {
  console.log('\n## Coverage: 黑河市, every H3 res-9 cell, all active demo stations with their own radii')
  const t0 = performance.now()
  const cells = heiheCells()
  const sites = activeSites(regions.features.filter((r) => r.properties.parent_code === '231100').map((r) => r.properties.code))
  console.log(`${cells.length.toLocaleString('en')} cells (generated in ${fmt(performance.now() - t0)}), ${sites.length} stations`)
  await loadIntoPostgis(sql, cells, sites)

  let ours = computeCoverage(cells, sites, { nearest: false })
  // cold: a fresh copy of the array each run, so the k-d index over the cells is built every time
  const oursCold = await median(() => (ours = computeCoverage([...cells], sites, { nearest: false })))
  // warm: the index over the cells is reused, as PostGIS reuses its GiST index
  const oursMask = await median(() => (ours = computeCoverage(cells, sites, { nearest: false })))
  let oursFull = computeCoverage(cells, sites)
  const oursNearest = await median(() => (oursFull = computeCoverage(cells, sites)))

  let pg = { covered: 0, total: 0 }
  const coveredQuery = () =>
    sql<{ covered: number; total: number }[]>`
      SELECT (SELECT coalesce(sum(weight), 0) FROM bench_cell
               WHERE id IN (SELECT c.id FROM bench_site s JOIN bench_cell c
                             ON ST_DWithin(geography(c.geom), geography(s.geom), s.r, false)))::float8 AS covered,
             (SELECT sum(weight) FROM bench_cell)::float8 AS total`.then(([r]) => (pg = r!))
  const pgMask = await median(coveredQuery)
  let pgNearestSum = 0
  const nearestQuery = () =>
    sql<{ s: number }[]>`
      SELECT sum((SELECT ST_Distance(geography(s.geom), geography(c.geom), false) FROM bench_site s
                   ORDER BY geography(s.geom) <-> geography(c.geom) LIMIT 1))::float8 AS s
        FROM bench_cell c`.then(([r]) => (pgNearestSum = r!.s))
  const pgNearest = await median(nearestQuery, 1)
  const oursNearestSum = oursFull.nearestM.reduce((a, b) => a + b, 0)

  console.log('| computation | ours (core, in-process) | PostGIS (one query) | PostGIS / ours |')
  console.log('|---|---|---|---|')
  console.log(`| covered + total demand, index over the cells built in the run | ${fmt(oursCold)} | — | ${(pgMask / oursCold).toFixed(1)}× |`)
  console.log(`| covered + total demand, indexes prebuilt | ${fmt(oursMask)} | ${fmt(pgMask)} | ${(pgMask / oursMask).toFixed(1)}× |`)
  console.log(`| … plus each cell's nearest-station distance | ${fmt(oursNearest)} | ${fmt(pgNearest)} (nearest only) | ${(pgNearest / oursNearest).toFixed(1)}× |`)
  console.log(`agreement: covered ${ours.covered.toFixed(3)} vs ${pg.covered.toFixed(3)} persons (Δ ${(ours.covered - pg.covered).toExponential(2)}), ` +
    `total ${ours.total.toFixed(3)} vs ${pg.total.toFixed(3)}, Σ nearest m ${oursNearestSum.toExponential(9)} vs ${pgNearestSum.toExponential(9)} ` +
    `(relative Δ ${(Math.abs(oursNearestSum - pgNearestSum) / pgNearestSum).toExponential(1)})`)
  console.log(`ratio ${(ours.ratio * 100).toFixed(2)} %; PostGIS uses prebuilt GiST indexes on geography; the nearest row of ours builds the k-d index over the stations each run`)
  await sql`DROP TABLE IF EXISTS bench_cell, bench_site`
}

async function benchSiting() {
  const k = Number(args.k)
  const code = '370828'
  console.log(`\n## Siting: 金乡县 rider rest stops, k = ${k}, radius ${coverageRadius('rider_rest')} m, candidates = every demand cell centre`)
  const csv = gunzipSync(readFileSync(repoPath('data/demand/population.csv.gz'))).toString('utf8').trim().split('\n').slice(1)
  const cells: DemandItem[] = csv
    .map((line) => line.split(','))
    .filter((p) => p[2] === code)
    .map(([h3, w]) => {
      const [lat, lon] = cellToLatLng(h3!)
      return { h3: h3!, lon, lat, weight: Number(w), region_code: code }
    })
  const existing = activeSites([code], 'rider_rest')
  const base = computeCoverage(cells, existing, { nearest: false })
  let sets = buildCoverageSets(cells, buildGeoIndex(cells), cells, coverageRadius('rider_rest'), base.coveredMask)
  const setup = await median(() => (sets = buildCoverageSets(cells, buildGeoIndex(cells), cells, coverageRadius('rider_rest'), base.coveredMask)))
  let greedy = maximalCovering(sets, k, { maxSwaps: 0, iterations: 0 })
  const greedyMs = await median(() => (greedy = maximalCovering(sets, k, { maxSwaps: 0, iterations: 0 })))
  let interchanged = maximalCovering(sets, k, { iterations: 0 })
  const interchangedMs = await median(() => (interchanged = maximalCovering(sets, k, { iterations: 0 })))
  let ours = maximalCovering(sets, k)
  const oursMs = await median(() => (ours = maximalCovering(sets, k)))
  console.log(`${cells.length.toLocaleString('en')} cells and candidates, ${sets.items.length.toLocaleString('en')} candidate→cell pairs, ${existing.length} existing stops covering ${(base.ratio * 100).toFixed(2)} %`)
  console.log(`building the candidate sets (shared by both): ${fmt(setup)}`)
  const exact = await exactMaximalCovering(sets, k, Number(args['time-limit']))
  console.log('| solver | time | newly covered persons | of the optimum |')
  console.log('|---|---|---|---|')
  const of = (x: number) => `${((x / exact.objective) * 100).toFixed(3)} %`
  console.log(`| greedy only | ${fmt(greedyMs)} | ${greedy.objective.toFixed(2)} | ${of(greedy.objective)} |`)
  console.log(`| greedy + interchange | ${fmt(interchangedMs)} | ${interchanged.objective.toFixed(2)} | ${of(interchanged.objective)} |`)
  console.log(`| greedy + interchange + Lagrangian (ours, ${ours.swaps} swaps) | ${fmt(oursMs)} | ${ours.objective.toFixed(2)} | ${of(ours.objective)} |`)
  console.log(`| ours: Lagrangian upper bound | | ${ours.bound.toFixed(2)} | ${of(ours.bound)} |`)
  console.log(`| HiGHS MIP (${exact.status}) | ${fmt(exact.ms)} | ${exact.objective.toFixed(2)} | 100 % |`)
  console.log(`HiGHS / ours time: ${(exact.ms / oursMs).toFixed(0)}×; coverage after: ours ${(((base.covered + ours.objective) / base.total) * 100).toFixed(2)} %, optimum ${(((base.covered + exact.objective) / base.total) * 100).toFixed(2)} %`)
}

const part = args.part
if (part === 'all' || part === 'coverage') {
  const db = await connect({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR ?? repoPath('.tmp/bench-db'), schema: 'bench', log: () => {} })
  try {
    await db.sql`CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public`
    console.log(`PostGIS side: ${db.mode === 'external' ? 'PostgreSQL server (DATABASE_URL)' : 'embedded PGlite'}`)
    await benchCoverage(db.sql)
  } finally {
    await db.close()
  }
}
if (part === 'all' || part === 'siting') await benchSiting()
