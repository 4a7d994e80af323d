import { describe, expect, it } from 'vitest'
import { osmPlace, PLACE_CLASSES, PLACE_MIN_ZOOM } from './osm-places.ts'

describe('osmPlace', () => {
  it('keeps a named settlement with name:zh over name, name:en and a plain population', () => {
    expect(osmPlace(7, 116.3, 35.05, { place: 'town', name: 'Jinshan Zhen', 'name:zh': '金山镇', 'name:en': 'Jinshan', population: '12 000' })).toEqual({
      id: 7, class: 'town', name: '金山镇', name_en: 'Jinshan', population: 12000, lon: 116.3, lat: 35.05,
    })
    expect(osmPlace(8, 116.3, 35.05, { place: 'village', name: '北岸村' })).toMatchObject({ name: '北岸村', name_en: null, population: null })
  })

  it('drops administrative places, other place values, unnamed places and bad coordinates', () => {
    for (const place of ['country', 'state', 'province', 'county', 'island', 'locality', 'TOWN']) expect(osmPlace(1, 116, 35, { place, name: 'x' })).toBeNull()
    expect(osmPlace(1, 116, 35, { place: 'town' })).toBeNull()
    expect(osmPlace(1, 116, 35, { place: 'town', name: '  ' })).toBeNull()
    expect(osmPlace(1, 116, 35, { name: '金山镇' })).toBeNull()
    expect(osmPlace(1, 200, 35, { place: 'town', name: '金山镇' })).toBeNull()
    expect(osmPlace(1, Number.NaN, 35, { place: 'town', name: '金山镇' })).toBeNull()
  })

  it('ignores a population that is not a count', () => {
    for (const population of ['about 5000', '-3', '1.5e4', '']) expect(osmPlace(1, 116, 35, { place: 'hamlet', name: '河口', population })!.population).toBeNull()
    expect(osmPlace(1, 116, 35, { place: 'city', name: '济宁', population: '8,357,897' })!.population).toBe(8357897)
  })

  it('ranks classes so that larger places show from lower zooms', () => {
    const zooms = PLACE_CLASSES.map((c) => PLACE_MIN_ZOOM[c])
    expect(zooms).toEqual([...zooms].sort((a, b) => a - b))
  })
})
