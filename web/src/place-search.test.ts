import { describe, expect, it } from 'vitest'
import type { StationFeature } from './types.ts'
import { PLACES, searchPlaces, townshipQuery } from './place-search.ts'

const station = (id: string, name: string, address: string): StationFeature =>
  ({ type: 'Feature', geometry: { type: 'Point', coordinates: [116.3, 35.07] }, properties: { id, name, address } }) as unknown as StationFeature

describe('searchPlaces', () => {
  it('finds a township of 金乡县 by part of its name, marked approximate', () => {
    const [hit] = searchPlaces('羊山', PLACES, [])
    expect(hit).toMatchObject({ type: 'place', name: '羊山镇', detail: '金乡县', approx: true })
  })

  it('puts seat streets at the county seat, not approximate', () => {
    const [hit] = searchPlaces('高河街道', PLACES, [])
    expect(hit).toMatchObject({ name: '高河街道', approx: false, seat: true, lon: 116.30599, lat: 35.06718 })
  })

  it('lists every programme county and their townships', () => {
    for (const name of ['金乡县', '南城县', '爱辉区', '逊克县', '孙吴县', '北安市', '五大连池市', '嫩江市']) {
      expect(PLACES.filter((p) => p.county_name === name).length).toBeGreaterThan(3)
    }
  })

  it('finds stations by name and by address', () => {
    const stations = [station('a', '蒜都骑士爱心驿站（金乡街道）', '金乡县奎星路12号'), station('b', '建昌镇骑手驿站', '南城县盱江路3号')]
    expect(searchPlaces('蒜都', PLACES, stations).map((h) => h.id)).toEqual(['a'])
    expect(searchPlaces('盱江路', PLACES, stations).map((h) => [h.type, h.id])).toEqual([['station', 'b']])
  })

  it('returns nothing for an empty query or no match', () => {
    expect(searchPlaces('  ', PLACES, [])).toEqual([])
    expect(searchPlaces('火星', PLACES, [])).toEqual([])
  })
})

describe('townshipQuery', () => {
  it('finds the township an address names, before its county', () => {
    expect(townshipQuery('金乡县鸡黍镇政府东50米', PLACES)).toBe('鸡黍镇')
    expect(townshipQuery('山东省济宁市金乡县高河街道金山路8号', PLACES)).toBe('高河街道')
    expect(townshipQuery('金乡县城内', PLACES)).toBe('金乡县')
  })

  it('spells out a township or county not in places.json, else keeps the start of the address', () => {
    expect(townshipQuery('江西省抚州市南丰县琴城镇解放路1号', PLACES)).toBe('琴城镇')
    expect(townshipQuery('某某区人民路', PLACES)).toBe('某某区')
    expect(townshipQuery('人民路与建设路交叉口东北角', PLACES)).toBe('人民路与建设路交叉口')
    expect(townshipQuery('  ', PLACES)).toBe('')
  })
})
