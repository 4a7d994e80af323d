/** The three programme places (DESIGN §6) and which place a station's region belongs to. */
import { featuresBBox, type BBox } from './map/bounds.ts'
import type { Lang } from './i18n/lang.ts'
import type { AnyRegionCollection } from './types.ts'

/** 黑河市 (city, six county-level divisions), 金乡县, 南城县 — in that order in the UI. */
export const PROGRAMME_PLACE_CODES = ['231100', '370828', '361021'] as const

export interface Place {
  code: string
  name: string
  name_en: string
  bbox: BBox
}

function members(regions: AnyRegionCollection, code: string): AnyRegionCollection['features'] {
  return regions.features.filter((f) => f.properties.code === code || f.properties.parent_code === code)
}

/** Places present in the region data, each with the bounds of the place and its counties. */
export function programmePlaces(regions: AnyRegionCollection): Place[] {
  const places: Place[] = []
  for (const code of PROGRAMME_PLACE_CODES) {
    const group = members(regions, code)
    const bbox = featuresBBox(group)
    if (!bbox) continue
    const self = group.find((f) => f.properties.code === code)?.properties
    places.push({ code, name: self?.name ?? code, name_en: self?.name_en ?? code, bbox })
  }
  return places
}

export function placeName(place: Place, lang: Lang): string {
  return lang === 'en' ? place.name_en || place.name : place.name
}

/** Bounds covering all places (the overview). */
export function unionBBox(boxes: BBox[]): BBox | null {
  if (!boxes.length) return null
  return boxes.reduce((a, b) => [Math.min(a[0], b[0]), Math.min(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])])
}

/** Maps a station's region_code to its programme place (the place itself or one of its counties). */
export function placeLookup(regions: AnyRegionCollection): (regionCode: string | null) => string | null {
  const parent = new Map(regions.features.map((f) => [f.properties.code, f.properties.parent_code]))
  const places = new Set<string>(PROGRAMME_PLACE_CODES)
  return (code) => {
    for (let c = code, i = 0; c && i < 4; c = parent.get(c) ?? null, i++) if (places.has(c)) return c
    return null
  }
}
