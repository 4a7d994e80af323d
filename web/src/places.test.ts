import { describe, expect, test } from 'vitest'
import { placeLookup, programmePlaces, unionBBox } from './places.ts'
import type { RegionCollection, RegionFeature } from './types.ts'

const square = (w: number, s: number, size = 1) => ({
  type: 'MultiPolygon' as const,
  coordinates: [[[[w, s], [w + size, s], [w + size, s + size], [w, s + size], [w, s]]]],
})
const region = (code: string, parent_code: string, level: 'city' | 'county', w: number, s: number): RegionFeature => ({
  type: 'Feature',
  geometry: square(w, s),
  properties: { code, name: code, name_en: code, level, parent_code, focus: true, label_lon: w + 0.5, label_lat: s + 0.5, station_count: 0 },
})
const regions: RegionCollection = {
  type: 'FeatureCollection',
  features: [
    region('231100', '230000', 'city', 126, 48),
    region('231102', '231100', 'county', 127, 50),
    region('370828', '370800', 'county', 116, 35),
  ],
}

describe('programmePlaces', () => {
  test('bounds a city by itself and its counties, and skips places missing from the data', () => {
    const places = programmePlaces(regions)
    expect(places.map((p) => p.code)).toEqual(['231100', '370828'])
    expect(places[0]!.bbox).toEqual([126, 48, 128, 51])
  })

  test('returns no places for empty input', () => {
    expect(programmePlaces({ type: 'FeatureCollection', features: [] })).toEqual([])
  })
})

describe('placeLookup', () => {
  test('maps a county to its programme city, the place to itself, others to null', () => {
    const placeOf = placeLookup(regions)
    expect(placeOf('231102')).toBe('231100')
    expect(placeOf('370828')).toBe('370828')
    expect(placeOf('370827')).toBeNull()
    expect(placeOf(null)).toBeNull()
  })
})

describe('unionBBox', () => {
  test('is null for no boxes and covers all boxes otherwise', () => {
    expect(unionBBox([])).toBeNull()
    expect(unionBBox([[1, 2, 3, 4], [0, 3, 2, 5]])).toEqual([0, 2, 3, 5])
  })
})
