import { describe, expect, it } from 'vitest'
import { rankNearest, type RankableStation } from './rank-nearest.ts'

const st = (id: string, lon: number, opening_hours: string | null, amenities: RankableStation['properties']['amenities'] = ['water'], status: 'active' | 'planned' = 'active'): RankableStation => ({
  geometry: { coordinates: [lon, 35] },
  properties: { id, kind: 'rider_rest', status, amenities, opening_hours },
})

const STATIONS = [
  st('c', 116.03, '24/7', ['water', 'charging']),
  st('a', 116.01, 'Mo-Su 22:00-06:00'),
  st('b', 116.02, 'Mo-Fr 08:00-18:00', ['toilet']),
  st('p', 116.005, '24/7', ['water'], 'planned'),
  st('u', 116.04, null),
]
const ORIGIN: [number, number] = [116, 35]
const ids = (r: { properties: { id: string } }[]) => r.map((f) => f.properties.id)

describe('rankNearest', () => {
  it('orders active stations by distance and adds distance and bearing', () => {
    const r = rankNearest(ORIGIN, STATIONS)
    expect(ids(r)).toEqual(['a', 'b', 'c', 'u'])
    expect(r[0]!.properties.distance_m).toBeCloseTo(910.86, 1)
    expect(r[0]!.properties.bearing_deg).toBeCloseTo(90, 1)
  })

  it('returns nothing for no stations', () => {
    expect(rankNearest(ORIGIN, [])).toEqual([])
  })

  it('honours limit, amenities (all required) and max distance', () => {
    expect(ids(rankNearest(ORIGIN, STATIONS, { limit: 2 }))).toEqual(['a', 'b'])
    expect(ids(rankNearest(ORIGIN, STATIONS, { amenities: ['water', 'charging'] }))).toEqual(['c'])
    expect(ids(rankNearest(ORIGIN, STATIONS, { maxDistance: 2000 }))).toEqual(['a', 'b'])
  })

  it.each([
    ['2026-11-29T23:30:00+08:00', ['a', 'c']], // Sunday night: overnight + 24/7
    ['2026-11-30T05:59:00+08:00', ['a', 'c']],
    ['2026-11-30T06:00:00+08:00', ['c']],
    ['2026-11-30T12:00:00+08:00', ['b', 'c']], // Monday noon
    ['2026-11-29T12:00:00+08:00', ['c']], // Sunday noon: Mo-Fr closed
  ])('open at %s (CST) keeps %j; unknown hours are left out', (at, want) => {
    expect(ids(rankNearest(ORIGIN, STATIONS, { openAt: new Date(at) }))).toEqual(want)
  })

  it('breaks distance ties by id, like the API', () => {
    const twins = [st('z', 116.01, '24/7'), st('m', 116.01, '24/7')]
    expect(ids(rankNearest(ORIGIN, twins))).toEqual(['m', 'z'])
  })
})
