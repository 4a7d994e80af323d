/**
 * Builds the demand layers in data/demand/ (DESIGN.md §3 "demand"), every one MODELLED or DEMO:
 *
 *   npm run build-demand                  # population.csv.gz, enterprises.geojson, projects.geojson, layers.json
 *   npm run build-demand -- --place-towns # (re)place the schematic towns in population-model.json first
 *
 * - population.csv.gz — `h3,weight,region_code`, H3 res 9, persons: the 2020 census total of each county
 *   (population-model.json; some are labelled estimates): a rural base (`rural_base.share` of it) spread
 *   over all the county's land as one village per res-7 cell, the rest spread from the county seat and
 *   towns with an exponential distance-decay kernel (scripts/population-model.ts), clipped to the county
 *   polygon, truncated under `threshold_persons` and rescaled so every county sums exactly to its total.
 * - enterprises.geojson — 207 invented enterprises in 金乡县 (the programme's 207 "two-new" organisations),
 *   around the parks and the seat of scripts/generate-demo.ts; weight = modelled employees.
 * - projects.geojson — 188 invented key-project sites in 黑河市's six divisions (the programme's 188);
 *   weight = modelled workers on site.
 *
 * Determinism: seedrandom (ARC4) seeded with DEMAND_SEED (points) and model.town_placement.seed (towns);
 * the same inputs give byte-identical files (gzip with a zero mtime), which the test checks.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson'
import { cellToChildren, cellToLatLng, greatCircleDistance, gridDisk, polygonToCellsExperimental, POLYGON_TO_CELLS_FLAGS, UNITS } from 'h3-js'
import seedrandom from 'seedrandom'
import { z } from 'zod'
import { PARKS, SEATS } from './generate-demo.ts'
import { countyCells, ruralBase, type LonLat, type Settlement } from './population-model.ts'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const REGIONS_FILE = join(ROOT, 'data/regions.geojson')
export const DEMAND_DIR = join(ROOT, 'data/demand')
export const MODEL_FILE = join(DEMAND_DIR, 'population-model.json')
export const DEMAND_SEED = 'station-atlas-demand-2024'

// ---------------------------------------------------------------- inputs

const lonLat = z.tuple([z.number().min(-180).max(180), z.number().min(-90).max(90)])
const perCity = z.object({ default: z.number().positive() }).catchall(z.number().positive())

export const PopulationModel = z.object({
  note: z.string(),
  model: z.object({
    kernel: z.string(),
    resolution: z.literal(9),
    seat_scale_km: z.number().positive(),
    town_scale_km: z.number().positive(),
    threshold_persons: z.number().positive(),
    threshold_note: z.string(),
    rural_base: z.object({ share: z.number().min(0).lt(1), village_resolution: z.number().int().min(5).max(8), rule: z.string() }),
    town_placement: z.object({ seed: z.string(), rule: z.string(), min_seat_km: perCity, min_town_km: perCity }),
  }),
  counties: z.array(
    z.object({
      code: z.string().regex(/^[0-9]{6}$/),
      name: z.string(),
      census_2020: z.object({
        value: z.number().int().positive(),
        status: z.enum(['census', 'census_rounded', 'estimate']),
        source: z.string().min(10),
      }),
      seat: z.object({ name: z.string(), share: z.number().gt(0).lt(1), share_basis: z.string() }),
      towns: z.object({
        count: z.number().int().min(0),
        count_source: z.string(),
        placement: z.literal('schematic'),
        positions: z.array(lonLat).nullable(),
      }),
    }),
  ),
  city_totals: z.array(z.object({ code: z.string(), name: z.string(), census_2020: z.number().int(), source: z.string() })),
})
export type PopulationModel = z.infer<typeof PopulationModel>
type CountyModel = PopulationModel['counties'][number]

type RegionFeature = Feature<MultiPolygon, { code: string; level: string; parent_code: string | null }>
export type Regions = FeatureCollection<MultiPolygon, RegionFeature['properties']>

export function readModel(path = MODEL_FILE): PopulationModel {
  return PopulationModel.parse(JSON.parse(readFileSync(path, 'utf8')))
}

// ---------------------------------------------------------------- geometry helpers

/** Great-circle distance, km. */
const km = (a: LonLat, b: LonLat) => greatCircleDistance([a[1], a[0]], [b[1], b[0]], UNITS.km)
const round6 = (x: number) => Number(x.toFixed(6))

/** Move a point by metres east/north (local tangent plane; fine for tens of kilometres). */
function offset([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  return [lon + eastM / (111_320 * Math.cos((lat * Math.PI) / 180)), lat + northM / 111_320]
}

/** Standard normal deviate (Box–Muller). */
function gaussian(rng: seedrandom.PRNG): number {
  return Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng())
}

function bboxOf(f: RegionFeature): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const poly of f.geometry.coordinates) for (const [x, y] of poly[0]!) {
    w = Math.min(w, x!); e = Math.max(e, x!); s = Math.min(s, y!); n = Math.max(n, y!)
  }
  return [w, s, e, n]
}

/** Point-in-county tests with a bounding-box shortcut (turf checks `bbox` first), one per county. */
export function countyIndex(regions: Regions) {
  const counties = regions.features.filter((f) => f.properties.level === 'county').map((f) => ({ ...f, bbox: bboxOf(f) }))
  const byCode = new Map(counties.map((f) => [f.properties.code, f]))
  const get = (code: string) => {
    const f = byCode.get(code)
    if (!f) throw new Error(`regions has no county ${code}: run npm run build-regions`)
    return f
  }
  return {
    get,
    /** inside `code` and in no other county (so border points are not double-counted) */
    insideOnly(code: string, p: LonLat): boolean {
      if (!booleanPointInPolygon(p, get(code))) return false
      return !counties.some((c) => c.properties.code !== code && booleanPointInPolygon(p, c))
    },
    inside: (code: string, p: LonLat) => booleanPointInPolygon(p, get(code)),
  }
}

// ---------------------------------------------------------------- towns

const cityOf = (code: string) => `${code.slice(0, 4)}00`
const perCityValue = (v: z.infer<typeof perCity>, code: string) => v[cityOf(code)] ?? v.default

/**
 * Schematic town positions for one county: uniform in its bbox, rejection-sampled until inside the
 * county and far enough from the seat and from the towns already placed. Not surveyed positions.
 * @returns `count` WGS-84 points, rounded to 5 decimals (≈ 1 m)
 */
export function placeTowns(county: CountyModel, model: PopulationModel['model'], regions: Regions): LonLat[] {
  const idx = countyIndex(regions)
  const f = idx.get(county.code)
  const [w, s, e, n] = f.bbox
  const seat = seatOf(county.code)
  const rng = seedrandom(`${model.town_placement.seed}:${county.code}`)
  const minSeat = perCityValue(model.town_placement.min_seat_km, county.code)
  let minTown = perCityValue(model.town_placement.min_town_km, county.code)
  const towns: LonLat[] = []
  for (let tries = 0; towns.length < county.towns.count; tries++) {
    // Relax the spacing rather than loop forever in a narrow county; the rule stays deterministic.
    if (tries > 0 && tries % 20_000 === 0) minTown *= 0.8
    const p: LonLat = [Number((w + rng() * (e - w)).toFixed(5)), Number((s + rng() * (n - s)).toFixed(5))]
    if (km(p, seat) < minSeat || towns.some((t) => km(p, t) < minTown)) continue
    if (!idx.insideOnly(county.code, p)) continue
    towns.push(p)
  }
  return towns
}

/** The county seat from the demo generator (WGS-84), so demand and demo stations share one anchor. */
export function seatOf(code: string): LonLat {
  const seat = SEATS[code]
  if (!seat) throw new Error(`no seat for ${code} in scripts/generate-demo.ts SEATS`)
  return [seat.seat[0], seat.seat[1]]
}

/** Settlements of one county for the kernel: the seat and its towns with their shares of the census total. */
export function settlementsOf(county: CountyModel, model: PopulationModel['model']): Settlement[] {
  const total = county.census_2020.value
  const towns = county.towns.positions
  if (!towns || towns.length !== county.towns.count) {
    throw new Error(`${county.code}: towns.positions missing or not ${county.towns.count} long; run npm run build-demand -- --place-towns`)
  }
  const townShare = towns.length ? (1 - county.seat.share) / towns.length : 0
  const seatShare = towns.length ? county.seat.share : 1
  return [
    { population: total * seatShare, position: seatOf(county.code), scale_km: model.seat_scale_km },
    ...towns.map((p): Settlement => ({ population: total * townShare, position: [p[0], p[1]], scale_km: model.town_scale_km })),
  ]
}

// ---------------------------------------------------------------- population

/**
 * A county's land at `resolution`: every cell whose centre lies in the county polygon (holes
 * respected), sorted. 黑河市's six divisions hold ~740k res-9 cells, too many to test one by one
 * against polygons of ~1,500 vertices in a build that runs in tests, so: cells two resolutions
 * coarser that lie fully inside together with all their neighbours give all their children (a cell's
 * descendants never stray past its neighbours); the children of the coarse cells along the boundary
 * (and of one ring around them) are tested point by point.
 */
export function landCells(regions: Regions, code: string, resolution = 9): string[] {
  const county = countyIndex(regions).get(code)
  const coarse = resolution - 2
  const cells = new Set<string>()
  for (const rings of county.geometry.coordinates) {
    const polygon = { type: 'Polygon' as const, coordinates: rings }
    const full = new Set(polygonToCellsExperimental(rings as number[][][], coarse, POLYGON_TO_CELLS_FLAGS.containmentFull, true))
    const interior = (c: string) => full.has(c) && gridDisk(c, 1).every((n) => full.has(n))
    const border = new Set<string>()
    for (const c of polygonToCellsExperimental(rings as number[][][], coarse, POLYGON_TO_CELLS_FLAGS.containmentOverlapping, true)) {
      if (interior(c)) for (const h of cellToChildren(c, resolution)) cells.add(h)
      else for (const n of gridDisk(c, 1)) if (!interior(n)) border.add(n)
    }
    for (const c of border) {
      for (const h of cellToChildren(c, resolution)) {
        const [lat, lon] = cellToLatLng(h)
        if (booleanPointInPolygon([lon, lat], polygon)) cells.add(h)
      }
    }
  }
  return [...cells].sort()
}

export interface PopulationStats {
  code: string
  cells: number
  census: number
  /** res-9 cells of county land, villages of the rural base, persons in it */
  land_cells: number
  villages: number
  rural_persons: number
  /** share of the modelled mass dropped by truncation and clipping, before rescaling */
  dropped_under_threshold: number
  dropped_outside_county: number
}

/** All counties' population cells as CSV rows (sorted by region then h3) and per-county statistics. */
export function buildPopulation(model: PopulationModel, regions: Regions) {
  const idx = countyIndex(regions)
  const rows: string[] = []
  const stats: PopulationStats[] = []
  /** each county's land cells (landCells), for tests that check the layer covers them */
  const land = new Map<string, string[]>()
  for (const county of [...model.counties].sort((a, b) => a.code.localeCompare(b.code))) {
    const countyLand = landCells(regions, county.code, model.model.resolution)
    land.set(county.code, countyLand)
    const ruralPersons = county.census_2020.value * model.model.rural_base.share
    const rural = ruralBase(countyLand, ruralPersons, model.model.rural_base.village_resolution, (h) => {
      const [lat, lon] = cellToLatLng(h)
      return idx.insideOnly(county.code, [lon, lat])
    })
    const result = countyCells(settlementsOf(county, model.model), county.census_2020.value, (p) => idx.insideOnly(county.code, p), model.model.threshold_persons, { rural })
    for (const [h, w] of result.cells) rows.push(`${h},${w},${county.code}`)
    stats.push({
      code: county.code,
      cells: result.cells.size,
      census: county.census_2020.value,
      land_cells: countyLand.length,
      villages: rural.size,
      rural_persons: ruralPersons,
      dropped_under_threshold: result.droppedInside / result.modelled,
      dropped_outside_county: result.droppedOutside / result.modelled,
    })
  }
  return { csv: `h3,weight,region_code\n${rows.join('\n')}\n`, stats, land }
}

// ---------------------------------------------------------------- point layers

export interface DemandPointProperties {
  name: string
  weight: number
  region_code: string
  cluster: string
  source: 'demo'
}
export type DemandPoints = FeatureCollection<Point, DemandPointProperties>

interface Cluster {
  region: string
  label: string
  count: number
  anchor: LonLat
  sigma_m: number
  /** median of the log-normal weight */
  median: number
  /** at least this far from the seat, metres (projects out in the townships) */
  min_from_seat_m?: number
}

/** Log-normal weight with σ_log 0.8 around `median`, at least 3 (people). */
const weightAround = (rng: seedrandom.PRNG, median: number) => Math.max(3, Math.round(Math.exp(Math.log(median) + 0.8 * gaussian(rng))))

function placePoints(clusters: Cluster[], regions: Regions, rng: seedrandom.PRNG, prefix: string, nameOf: (i: number) => string): DemandPoints {
  const idx = countyIndex(regions)
  const features: Feature<Point, DemandPointProperties>[] = []
  for (const c of clusters) {
    for (let k = 0; k < c.count; k++) {
      let p: LonLat | undefined
      for (let tries = 0; !p; tries++) {
        if (tries > 100_000) throw new Error(`could not place a ${prefix} point in ${c.region} (${c.label})`)
        const q = offset(c.anchor, gaussian(rng) * c.sigma_m, gaussian(rng) * c.sigma_m)
        const r: LonLat = [round6(q[0]), round6(q[1])]
        if (c.min_from_seat_m && km(r, seatOf(c.region)) * 1000 < c.min_from_seat_m) continue
        if (idx.insideOnly(c.region, r)) p = r
      }
      const i = features.length + 1
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: p },
        properties: { name: nameOf(i), weight: weightAround(rng, c.median), region_code: c.region, cluster: c.label, source: 'demo' },
      })
    }
  }
  return { type: 'FeatureCollection', features }
}

/**
 * 207 demo enterprises in 金乡县: most in the two industrial parks, service firms in 凯盛商圈, the rest
 * around the seat. Weight = modelled employees (log-normal; industrial median 80, services 15, other 25).
 */
export function buildEnterprises(regions: Regions, seed = DEMAND_SEED): DemandPoints {
  const rng = seedrandom(`${seed}:enterprises`)
  const clusters: Cluster[] = [
    { region: '370828', label: '经开区', count: 90, anchor: PARKS.经开区.at, sigma_m: 1200, median: 80 },
    { region: '370828', label: '新材料产业园', count: 55, anchor: PARKS.新材料产业园.at, sigma_m: 1000, median: 80 },
    { region: '370828', label: '凯盛商圈', count: 35, anchor: PARKS.凯盛商圈.at, sigma_m: 600, median: 15 },
    { region: '370828', label: '县城', count: 27, anchor: seatOf('370828'), sigma_m: 2500, median: 25 },
  ]
  return placePoints(clusters, regions, rng, 'enterprise', (i) => `示例企业 E${String(i).padStart(3, '0')}`)
}

/** Project counts per 黑河 division: 188 in proportion to the demo generator's worksites (18/16/16/8/6/6 of 70). */
export const PROJECT_COUNTS: Record<string, number> = { '231102': 48, '231181': 43, '231183': 43, '231182': 22, '231124': 16, '231123': 16 }

/**
 * 188 demo key-project sites in 黑河市: per division, half near the seat (σ 3 km), half out in the
 * townships (σ 20 km, ≥ 5 km from the seat). Weight = modelled workers on site (log-normal, median 60).
 */
export function buildProjects(regions: Regions, seed = DEMAND_SEED): DemandPoints {
  const rng = seedrandom(`${seed}:projects`)
  const clusters: Cluster[] = Object.entries(PROJECT_COUNTS).flatMap(([code, n]): Cluster[] => [
    { region: code, label: '城区', count: Math.ceil(n / 2), anchor: seatOf(code), sigma_m: 3000, median: 60 },
    { region: code, label: '乡镇', count: Math.floor(n / 2), anchor: seatOf(code), sigma_m: 20_000, median: 60, min_from_seat_m: 5000 },
  ])
  return placePoints(clusters, regions, rng, 'project', (i) => `示例重点项目 P${String(i).padStart(3, '0')}`)
}

// ---------------------------------------------------------------- manifest and output

/** Layer metadata, loaded into demand_layer; `file` is relative to data/demand/. */
export const LAYERS = [
  {
    id: 'population', kind: 'h3', resolution: 9, file: 'population.csv.gz', modelled: true, demo: false,
    name: '常住人口（模型）', name_en: 'Resident population (modelled)', unit: '人', unit_en: 'persons',
    source: '第七次全国人口普查 (2020) county totals (four 黑河市 divisions estimated), spread from seats and schematic towns with an exponential distance-decay model over a uniform rural base of villages; see data/README.md',
  },
  {
    id: 'enterprises', kind: 'point', resolution: 9, file: 'enterprises.geojson', modelled: true, demo: true,
    name: '“两新”组织（示例）', name_en: '“Two-new” organisations (demo)', unit: '人', unit_en: 'employees (modelled)',
    source: 'DEMO: 207 invented enterprises (金乡县 reports 207 “two-new” organisations); positions and employee counts modelled',
  },
  {
    id: 'projects', kind: 'point', resolution: 9, file: 'projects.geojson', modelled: true, demo: true,
    name: '重点项目（示例）', name_en: 'Key project sites (demo)', unit: '人', unit_en: 'workers on site (modelled)',
    source: 'DEMO: 188 invented sites (黑河市 reports 188 key projects); positions and worker counts modelled',
  },
] as const

/** One Feature per line: small diffs, still valid GeoJSON. */
export function serializePoints(fc: DemandPoints): string {
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`
}

/** gzip is deterministic in Node (mtime 0, no file name), so the committed file can be compared byte for byte. */
export const gzipCsv = (csv: string) => gzipSync(Buffer.from(csv), { level: 9 })

export function serializeModel(model: PopulationModel): string {
  // Keep the hand-edited file readable: one position per line.
  return `${JSON.stringify(model, null, 2).replace(/\[\n\s+(-?[\d.]+),\n\s+(-?[\d.]+)\n\s+\]/g, '[$1, $2]')}\n`
}

function main(argv: string[]) {
  const regions = JSON.parse(readFileSync(REGIONS_FILE, 'utf8')) as Regions
  let model = readModel()
  if (argv.includes('--place-towns')) {
    model = { ...model, counties: model.counties.map((c) => ({ ...c, towns: { ...c.towns, positions: placeTowns(c, model.model, regions) } })) }
    writeFileSync(MODEL_FILE, serializeModel(model))
    console.log(`towns placed in ${MODEL_FILE}`)
  }
  mkdirSync(DEMAND_DIR, { recursive: true })
  const t0 = performance.now()
  const population = buildPopulation(model, regions)
  writeFileSync(join(DEMAND_DIR, 'population.csv.gz'), gzipCsv(population.csv))
  writeFileSync(join(DEMAND_DIR, 'enterprises.geojson'), serializePoints(buildEnterprises(regions)))
  writeFileSync(join(DEMAND_DIR, 'projects.geojson'), serializePoints(buildProjects(regions)))
  writeFileSync(join(DEMAND_DIR, 'layers.json'), `${JSON.stringify(LAYERS, null, 2)}\n`)
  const pct = (x: number) => `${(x * 100).toFixed(2)} %`
  for (const s of population.stats) {
    console.log(`${s.code}: ${s.cells} cells (${s.villages} villages of the rural base over ${s.land_cells} res-9 cells of land), ${s.census} persons; dropped before rescaling: ${pct(s.dropped_under_threshold)} under threshold, ${pct(s.dropped_outside_county)} outside the county`)
  }
  console.log(`population: ${population.stats.reduce((a, s) => a + s.cells, 0)} cells in ${Math.round(performance.now() - t0)} ms`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main(process.argv.slice(2))
