import { describe, expect, test } from 'vitest'
import type { RegionCollection, RegionFeature } from '../types.ts'
import { buildStops, overviewMembers, placeOf } from './stops.ts'

function region(code: string, level: 'city' | 'county', parent: string | null, x: number): RegionFeature {
  return {
    type: 'Feature',
    geometry: { type: 'MultiPolygon', coordinates: [[[[x, 30], [x + 1, 30], [x + 1, 31], [x, 30]]]] },
    properties: { code, name: code, name_en: code, level, parent_code: parent, focus: true, label_lon: x + 0.5, label_lat: 30.5, station_count: 0 },
  }
}
const regions: RegionCollection = {
  type: 'FeatureCollection',
  features: [
    region('231100', 'city', '230000', 120),
    region('231183', 'county', '231100', 121),
    region('231102', 'county', '231100', 120),
    region('370800', 'city', '370000', 110),
    region('370828', 'county', '370800', 110),
    region('361021', 'county', '361000', 100),
  ],
}

describe('buildStops', () => {
  test('overview, then each place, a city followed by its divisions in code order', () => {
    const { stops } = buildStops(regions, { regions: null, overview: true, divisions: true })
    expect(stops.map((s) => [s.index, s.level, s.code])).toEqual([
      [0, 'overview', null],
      [1, 'city', '231100'],
      [2, 'county', '231102'],
      [3, 'county', '231183'],
      [4, 'county', '370828'],
      [5, 'county', '361021'],
    ])
    expect(stops[0]!.bbox).toEqual([100, 30, 122, 31])
    expect(stops[2]!.places).toEqual(['231100'])
    expect(overviewMembers(stops).map((s) => s.code)).toEqual(['231100', '370828', '361021'])
  })
  test('follows the URL: chosen regions, no divisions, no overview; unknown codes reported', () => {
    const { stops, unknown } = buildStops(regions, { regions: ['370828', '231100', '999999'], overview: false, divisions: false })
    expect(stops.map((s) => s.code)).toEqual(['370828', '231100'])
    expect(unknown).toEqual(['999999'])
  })
  test('a single region has no overview', () => {
    expect(buildStops(regions, { regions: ['361021'], overview: true, divisions: true }).stops).toHaveLength(1)
  })
  test('returns no stops for no known region', () => {
    expect(buildStops(regions, { regions: ['999999'], overview: true, divisions: true }).stops).toEqual([])
  })
  test('finds the programme place of a division', () => {
    expect(placeOf(regions, '231183')).toBe('231100')
    expect(placeOf(regions, '370800')).toBeNull()
  })
})
