/**
 * Loads a synthetic scale data set — N stations marked `source: 'demo-scale'` — into the database the
 * server would use, to measure the API at province or country size (issue 13):
 *
 *   npm run scale-data -- --stations 100000 [--seed S]     # replaces any earlier scale set
 *   npm run scale-data -- --stations 100000 --demand-cells 1000000   # and a demand layer `demo-scale`
 *   npm run scale-data -- --remove                          # takes both out again
 *
 * Database: DATABASE_URL, else the embedded one in DATA_DIR (default data/.db) — stop `npm start` first,
 * the embedded database takes one process at a time. Migrations and the bundled seed run first.
 *
 * The data set (deterministic: the same --seed, N and data/demand/population.csv.gz give the same rows,
 * whichever database):
 * - **Where**: each station falls in an H3 res-9 cell of the modelled population layer
 *   (data/demand/population.csv.gz) drawn with probability ∝ the cell's modelled persons, at a uniform
 *   point inside that cell (rejection-sampled on the cell); `region_code` is the cell's county. So stations
 *   spread over the real county polygons in proportion to the modelled population. That layer covers only the
 *   eight pilot counties (黑河市's six divisions, 金乡县, 南城县): at 10^5–10^6 stations they are far denser
 *   than any real programme — a load test, not a forecast. (Cells were given to counties by their centre, so
 *   a point in a border cell can lie up to ~200 m outside its county's outline.)
 * - **Kinds**: rider_rest 40 %, red_sail 25 %, worksite 20 %, service_centre 15 %.
 * - **Hours and amenities**: per kind from the same tables as the demo set (OSM opening_hours syntax:
 *   office hours for centres, 24/7 and evening hours for rider stops, building seasons for worksites);
 *   2 % have no hours (they count as unknown). Each has its kind's base amenities and each extra one
 *   with probability 30 %.
 * - **Status**: 95 % active, 3 % planned, 2 % retired; 5 % carry their own radius_m.
 *
 * - **Demand** (`--demand-cells M`): a point layer `demo-scale` of M points drawn the same way, each weighing
 *   1/M of the modelled population (so the layer totals it), loaded as a user layer (start-up never replaces it).
 *
 * Bulk load: `COPY … FROM STDIN` on PostgreSQL; multi-row INSERTs of --batch rows (default 5000) on the
 * embedded database, whose socket does not speak the COPY sub-protocol. ANALYZE at the end.
 */
import { readFileSync } from 'node:fs'
import { pipeline } from 'node:stream/promises'
import { Readable } from 'node:stream'
import { gunzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { cellToLatLng, getHexagonEdgeLengthAvg, latLngToCell, UNITS } from 'h3-js'
import seedrandom from 'seedrandom'
import { KIND_INFO, type Amenity, type StationKind, type StationStatus } from '../api/src/core/station-kinds.ts'
import { connect, type Sql } from '../api/src/db/connect.ts'
import { migrate } from '../api/src/db/migrate.ts'
import { DEFAULT_SEED_FILES, seed, seedRegionsAndStations } from '../api/src/db/seed.ts'
import { repoPath } from '../api/src/paths.ts'
import { BASE_AMENITIES, EXTRA_AMENITIES, HOURS } from './generate-demo.ts'
import { replaceDemandLayer } from '../api/src/db/demand.ts'
import { pointItems } from '../api/src/db/demand-files.ts'
import type { DemandLayerMeta } from '../api/src/schemas/demand.ts'

export const DEFAULT_SCALE_SEED = 'station-atlas-scale'
const RES = 9

/** Share of each kind in the scale set. */
export const KIND_SHARE: [StationKind, number][] = [['rider_rest', 0.4], ['red_sail', 0.25], ['worksite', 0.2], ['service_centre', 0.15]]
// hours and amenities as in the demo set (generate-demo.ts)
const RADIUS_OVERRIDES: Record<StationKind, number[]> = { service_centre: [5000], red_sail: [800], rider_rest: [1000, 2000], worksite: [1000] }
const STATUS_SHARE: [StationStatus, number][] = [['active', 0.95], ['planned', 0.03], ['retired', 0.02]]

export interface PopulationCell {
  h3: string
  weight: number
  region_code: string
}

export interface ScaleStation {
  external_id: string
  kind: StationKind
  name: string
  region_code: string
  lon: number
  lat: number
  opening_hours: string | null
  amenities: Amenity[]
  capacity: number
  status: StationStatus
  radius_m: number | null
}

/** The bundled population layer's cells (h3,weight,region_code). */
export function readPopulationCells(path = repoPath('data/demand/population.csv.gz')): PopulationCell[] {
  const lines = gunzipSync(readFileSync(path)).toString('utf8').trim().split('\n')
  return lines.slice(1).map((line) => {
    const [h3, weight, region_code] = line.split(',')
    return { h3: h3!, weight: Number(weight), region_code: region_code! }
  })
}

function pickShare<T>(r: number, shares: [T, number][]): T {
  for (const [value, share] of shares) if ((r -= share) < 0) return value
  return shares[shares.length - 1]![0]
}

/**
 * A sampler of points ∝ population: each call draws a cell with probability ∝ its weight (binary
 * search over the cumulative weights) and a uniform point inside it (rejection-sampled on the cell).
 */
function populationSampler(cells: PopulationCell[], rng: () => number) {
  if (cells.length === 0) throw new Error('scale-data: the population layer has no cells')
  const cumulative = new Float64Array(cells.length)
  let total = 0
  cells.forEach((c, i) => (cumulative[i] = total += c.weight))
  // a disc of the average edge length around the centre holds the hexagon (circumradius = edge length), with margin
  const reachM = getHexagonEdgeLengthAvg(RES, UNITS.m) * 1.3
  return {
    total,
    next(): { cell: PopulationCell; lon: number; lat: number } {
      const r = rng() * total
      let lo = 0
      let hi = cells.length - 1
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (cumulative[mid]! > r) hi = mid
        else lo = mid + 1
      }
      const cell = cells[lo]!
      const [clat, clon] = cellToLatLng(cell.h3)
      for (let tries = 0; tries < 100; tries++) {
        const d = reachM * Math.sqrt(rng())
        const a = 2 * Math.PI * rng()
        const plat = clat + (d * Math.cos(a)) / 111_195
        const plon = clon + (d * Math.sin(a)) / (111_195 * Math.cos((clat * Math.PI) / 180))
        if (latLngToCell(plat, plon, RES) === cell.h3) return { cell, lon: Number(plon.toFixed(7)), lat: Number(plat.toFixed(7)) }
      }
      return { cell, lon: clon, lat: clat }
    },
  }
}

/**
 * The scale stations, generated lazily (10^6 rows never sit in memory at once).
 * @param cells population cells (weights in persons)
 * @param count how many stations
 * @param seedText seedrandom seed
 */
export function* scaleStations(cells: PopulationCell[], count: number, seedText = DEFAULT_SCALE_SEED): Generator<ScaleStation> {
  const rng = seedrandom(seedText)
  const sampler = populationSampler(cells, rng)
  const counters = new Map<string, number>()
  for (let i = 0; i < count; i++) {
    const { cell, lon, lat } = sampler.next()
    const kind = pickShare(rng(), KIND_SHARE)
    const hoursR = rng()
    const options = HOURS[kind]
    const weightSum = options.reduce((s, [, w]) => s + w, 0)
    const opening_hours = hoursR < 0.02 ? null : pickShare((hoursR - 0.02) / 0.98, options.map(([h, w]) => [h, w / weightSum] as [string, number]))
    const amenities = [...BASE_AMENITIES[kind], ...EXTRA_AMENITIES[kind].filter(() => rng() < 0.3)]
    const status = pickShare(rng(), STATUS_SHARE)
    const radius_m = rng() < 0.05 ? RADIUS_OVERRIDES[kind][Math.floor(rng() * RADIUS_OVERRIDES[kind].length)]! : null
    const n = (counters.get(cell.region_code + kind) ?? 0) + 1
    counters.set(cell.region_code + kind, n)
    yield {
      external_id: `scale-${i}`,
      kind,
      name: `${KIND_INFO[kind].zh}（规模测试）${cell.region_code}-${n}`,
      region_code: cell.region_code,
      lon,
      lat,
      opening_hours,
      amenities,
      capacity: 4 + Math.floor(rng() * 40),
      status,
      radius_m,
    }
  }
}

/**
 * `count` demand points spread ∝ modelled population like the stations, each weighing an equal share of
 * the layer's total persons (so the layer sums to the modelled population), for province-size runs.
 */
export function scaleDemandPoints(cells: PopulationCell[], count: number, seedText = DEFAULT_SCALE_SEED) {
  const sampler = populationSampler(cells, seedrandom(`${seedText}:demand`))
  const weight = sampler.total / count
  return Array.from({ length: count }, () => {
    const { cell, lon, lat } = sampler.next()
    return { lon, lat, weight, name: null, region_code: cell.region_code }
  })
}

export const SCALE_LAYER: DemandLayerMeta = {
  id: 'demo-scale',
  name: '规模测试需求点（合成）',
  name_en: 'Scale-test demand points (synthetic)',
  licence: null,
  unit: '人',
  unit_en: 'persons',
  source: 'npm run scale-data: points drawn ∝ the modelled population layer, equal weights summing to its total',
  modelled: true,
  demo: true,
  kind: 'point',
  resolution: RES,
}

/** One station as a line of COPY text format (tab-separated, \N for null). */
function copyLine(s: ScaleStation): string {
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n')
  return [
    s.external_id, s.kind, esc(s.name), s.region_code, `SRID=4326;POINT(${s.lon} ${s.lat})`,
    s.opening_hours === null ? '\\N' : esc(s.opening_hours), `{${s.amenities.join(',')}}`,
    String(s.capacity), s.status, s.radius_m === null ? '\\N' : String(s.radius_m), 'demo-scale',
  ].join('\t') + '\n'
}

const COLUMNS = 'external_id, kind, name, region_code, geom, opening_hours, amenities, capacity, status, radius_m, source'

function progress(done: number, total: number, t0: number) {
  const width = 30
  const filled = Math.round((done / total) * width)
  const rate = done / Math.max((performance.now() - t0) / 1000, 1e-3)
  process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${((100 * done) / total).toFixed(0).padStart(3)}% ${done.toLocaleString('en')}/${total.toLocaleString('en')} rows, ${Math.round(rate).toLocaleString('en')} rows/s `)
}

/** COPY FROM STDIN (PostgreSQL). */
export async function copyStations(sql: Sql, rows: Iterable<ScaleStation>, total: number, t0: number) {
  let done = 0
  const lines = function* () {
    let chunk = ''
    for (const s of rows) {
      chunk += copyLine(s)
      if (++done % 5000 === 0) {
        yield chunk
        chunk = ''
        progress(done, total, t0)
      }
    }
    if (chunk) yield chunk
  }
  const writable = await sql.unsafe(`COPY station (${COLUMNS}) FROM STDIN`).writable()
  await pipeline(Readable.from(lines()), writable)
  progress(total, total, t0)
}

/** Multi-row INSERTs of `batch` rows, each one statement (the embedded database). */
export async function insertStationBatches(sql: Sql, rows: Iterable<ScaleStation>, total: number, t0: number, batch: number) {
  let pending: ScaleStation[] = []
  let done = 0
  const flush = async () => {
    await sql`
      INSERT INTO station (${sql.unsafe(COLUMNS)})
      SELECT r.external_id, r.kind, r.name, r.region_code, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326), r.opening_hours,
             ARRAY(SELECT json_array_elements_text(r.amenities)), r.capacity, r.status, r.radius_m, 'demo-scale'
        FROM json_to_recordset(${sql.json(pending as never)}::json)
          AS r(external_id text, kind text, name text, region_code text, lon float8, lat float8, opening_hours text,
               amenities json, capacity int, status text, radius_m int)`
    done += pending.length
    pending = []
    progress(done, total, t0)
  }
  for (const s of rows) {
    pending.push(s)
    if (pending.length >= batch) await flush()
  }
  if (pending.length) await flush()
}

/**
 * Loads `count` scale stations (seed `seedText`) in place of any earlier scale set: COPY on PostgreSQL,
 * `batch`-row INSERTs on the embedded database. Returns the seconds the load took (ANALYZE is the caller's).
 */
export async function loadScaleStations(sql: Sql, mode: 'embedded' | 'external', count: number, seedText: string, batch: number): Promise<number> {
  await removeScaleStations(sql)
  const rows = scaleStations(readPopulationCells(), count, seedText)
  const t0 = performance.now()
  if (mode === 'external') await copyStations(sql, rows, count, t0)
  else await insertStationBatches(sql, rows, count, t0, batch)
  process.stderr.write('\n')
  return (performance.now() - t0) / 1000
}

/**
 * The server's LOAD_SCALE_STATIONS (browser tests and benchmarks): the scale set of `count` stations
 * loaded at start-up into the database it already opened — one database start instead of two — unless
 * the database already holds exactly that many scale stations.
 */
export async function ensureScaleStations(sql: Sql, mode: 'embedded' | 'external', count: number, log: (m: string) => void): Promise<void> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station WHERE source = 'demo-scale'`
  if (row?.n === count) return log(`scale data: ${count.toLocaleString('en')} demo-scale stations already loaded`)
  // a bulk load outlasts the server's statement timeout: lift it on one reserved connection only
  const conn = await sql.reserve()
  let s: number
  try {
    await conn`SET statement_timeout = 0`
    s = await loadScaleStations(conn, mode, count, DEFAULT_SCALE_SEED, 5000)
    await conn`ANALYZE station`
  } finally {
    await conn`RESET statement_timeout`.catch(() => {})
    conn.release()
  }
  log(`scale data: loaded ${count.toLocaleString('en')} demo-scale stations (${mode}) in ${s.toFixed(1)} s`)
}

/** Deletes the scale set; returns how many stations went. */
export async function removeScaleStations(sql: Sql): Promise<number> {
  const result = await sql`DELETE FROM station WHERE source = 'demo-scale'`
  return result.count
}

export interface ScaleDataArgs {
  stations: number
  /** demand points for the demo-scale layer (0: none) */
  demandCells: number
  seed: string
  remove: boolean
  batch: number
  /** seed regions and demo stations only, not the demand layers (the server loads them at start-up): a quick set for browser tests */
  skipDemand: boolean
}

export function parseScaleDataArgs(argv: string[]): ScaleDataArgs {
  const { values } = parseArgs({
    args: argv,
    options: { stations: { type: 'string' }, 'demand-cells': { type: 'string', default: '0' }, seed: { type: 'string', default: DEFAULT_SCALE_SEED }, remove: { type: 'boolean', default: false }, batch: { type: 'string', default: '5000' }, 'skip-demand': { type: 'boolean', default: false } },
  })
  const usage = 'usage: npm run scale-data -- --stations N [--demand-cells M] [--seed S] [--batch 5000] [--skip-demand] | --remove'
  const demandCells = Number(values['demand-cells'])
  if (!Number.isInteger(demandCells) || demandCells < 0 || demandCells > 5_000_000) throw new Error(`--demand-cells: must be a whole number from 0 to 5000000\n${usage}`)
  const stations = values.stations === undefined ? 0 : Number(values.stations)
  const batch = Number(values.batch)
  if (!values.remove && (!Number.isInteger(stations) || stations < 1 || stations > 10_000_000)) throw new Error(`--stations: must be a whole number from 1 to 10000000\n${usage}`)
  if (!Number.isInteger(batch) || batch < 1 || batch > 50_000) throw new Error(`--batch: must be a whole number from 1 to 50000\n${usage}`)
  return { stations, demandCells, seed: values.seed!, remove: values.remove!, batch, skipDemand: values['skip-demand']! }
}

async function main(argv: string[]) {
  const args = parseScaleDataArgs(argv)
  const log = (m: string) => console.error(m)
  // bulk loads run longer than any request may: no statement timeout here
  const db = await connect({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR, statementTimeoutMs: 0, log })
  try {
    await migrate(db.sql, log)
    if (args.skipDemand) await seedRegionsAndStations(db.sql, DEFAULT_SEED_FILES, log)
    else await seed(db.sql, DEFAULT_SEED_FILES, log)
    let t0 = performance.now()
    const removed = await removeScaleStations(db.sql)
    if (removed || args.remove) log(`removed ${removed.toLocaleString('en')} demo-scale stations in ${Math.round(performance.now() - t0)} ms`)
    if (!args.remove) {
      const s = await loadScaleStations(db.sql, db.mode, args.stations, args.seed, args.batch)
      log(`loaded ${args.stations.toLocaleString('en')} demo-scale stations (${db.mode}) in ${s.toFixed(1)} s: ${Math.round(args.stations / s).toLocaleString('en')} rows/s`)
    }
    const [layer] = await db.sql`DELETE FROM demand_layer WHERE id = ${SCALE_LAYER.id} RETURNING id`
    if (layer) log(`removed demand layer ${SCALE_LAYER.id}`)
    if (!args.remove && args.demandCells > 0) {
      t0 = performance.now()
      const items = pointItems(scaleDemandPoints(readPopulationCells(), args.demandCells, args.seed), RES)
      await replaceDemandLayer(db.sql, SCALE_LAYER, items, { origin: 'user' })
      const s = (performance.now() - t0) / 1000
      log(`loaded demand layer ${SCALE_LAYER.id}: ${items.length.toLocaleString('en')} points in ${s.toFixed(1)} s (${Math.round(items.length / s).toLocaleString('en')} rows/s)`)
      await db.sql`ANALYZE demand_item`
    }
    t0 = performance.now()
    await db.sql`ANALYZE station`
    log(`ANALYZE station: ${Math.round(performance.now() - t0)} ms`)
    const byKind = await db.sql<{ kind: string; n: number }[]>`SELECT kind, count(*)::int AS n FROM station GROUP BY kind ORDER BY kind`
    log(`stations now: ${byKind.map((r) => `${r.kind} ${r.n.toLocaleString('en')}`).join(', ')}`)
  } finally {
    await db.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
