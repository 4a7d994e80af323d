/**
 * The tour's sequence: an overview of the places, then each place and (for a city) each of its
 * divisions. Pure: built from the regions the API serves and the URL options.
 */
import type { BBox } from '../map/bounds.ts'
import { featuresBBox } from '../map/bounds.ts'
import { PROGRAMME_PLACE_CODES } from '../places.ts'
import type { AnyRegionCollection } from '../types.ts'

type RegionCollection = AnyRegionCollection
type RegionFeature = AnyRegionCollection['features'][number]
import type { TourOptions } from './params.ts'

export type StopLevel = 'overview' | 'city' | 'county'

export interface Stop {
  /** 0-based position in the tour */
  index: number
  level: StopLevel
  /** the region the figures are for; null for the overview */
  code: string | null
  name: string
  name_en: string
  /** programme places this stop belongs to (one, or all for the overview) */
  places: string[]
  /** regions to highlight on the map */
  highlight: string[]
  bbox: BBox
}

function byCode(regions: RegionCollection): Map<string, RegionFeature> {
  return new Map(regions.features.map((f) => [f.properties.code, f]))
}

/** Divisions of a city, in code order (as GB/T 2260 lists them). */
export function divisionsOf(regions: RegionCollection, code: string): RegionFeature[] {
  return regions.features.filter((f) => f.properties.parent_code === code).sort((a, b) => a.properties.code.localeCompare(b.properties.code))
}

/** The programme place a region belongs to: itself, or its nearest ancestor that is a place. */
export function placeOf(regions: RegionCollection, code: string): string | null {
  const all = byCode(regions)
  const places = new Set<string>(PROGRAMME_PLACE_CODES)
  for (let c: string | null = code, i = 0; c && i < 4; c = all.get(c)?.properties.parent_code ?? null, i++) if (places.has(c)) return c
  return null
}

/** Region codes a stop covers (a city: itself and its divisions). */
export function memberCodes(regions: RegionCollection, code: string): string[] {
  return [code, ...divisionsOf(regions, code).map((f) => f.properties.code)]
}

export function buildStops(regions: RegionCollection, o: Pick<TourOptions, 'regions' | 'overview' | 'divisions'>): { stops: Stop[]; unknown: string[] } {
  const all = byCode(regions)
  const wanted = o.regions ?? [...PROGRAMME_PLACE_CODES]
  const unknown = wanted.filter((c) => !all.has(c))
  const stops: Stop[] = []
  const seen = new Set<string>()
  const add = (f: RegionFeature, level: StopLevel) => {
    const code = f.properties.code
    if (seen.has(code)) return
    seen.add(code)
    const group = level === 'city' ? [f, ...divisionsOf(regions, code)] : [f]
    const bbox = featuresBBox(group)
    if (!bbox) return
    const place = placeOf(regions, code)
    stops.push({
      index: 0,
      level,
      code,
      name: f.properties.name,
      name_en: f.properties.name_en,
      places: place ? [place] : [],
      highlight: group.map((g) => g.properties.code),
      bbox,
    })
  }
  for (const code of wanted) {
    const f = all.get(code)
    if (!f) continue
    const divisions = divisionsOf(regions, code)
    if (f.properties.level === 'city' && divisions.length) {
      add(f, 'city')
      if (o.divisions) for (const d of divisions) add(d, 'county')
    } else add(f, 'county')
  }
  const places = [...new Set(stops.flatMap((s) => s.places))]
  if (o.overview && stops.length > 1) {
    const boxes = stops.map((s) => s.bbox)
    const bbox: BBox = boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])])
    const top = stops.filter((s) => !stops.some((p) => p !== s && p.highlight.includes(s.code!) ))
    stops.unshift({ index: 0, level: 'overview', code: null, name: '', name_en: '', places, highlight: top.flatMap((s) => s.highlight), bbox })
  }
  stops.forEach((s, i) => (s.index = i))
  return { stops, unknown }
}

/** The regions an overview compares: the top-level stops (places, or counties asked for on their own). */
export function overviewMembers(stops: readonly Stop[]): Stop[] {
  const listed = stops.filter((s) => s.level !== 'overview')
  return listed.filter((s) => !listed.some((p) => p !== s && p.level === 'city' && p.highlight.includes(s.code!)))
}
