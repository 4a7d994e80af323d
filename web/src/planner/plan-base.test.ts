import { describe, expect, test } from 'vitest'
import type { StationFeature } from '../types.ts'
import { countInRegions, planBase } from './plan-base.ts'

function station(id: string, over: Partial<StationFeature['properties']> = {}): StationFeature {
  return {
    type: 'Feature',
    geometry: { type: 'Point', coordinates: [116.3, 35.0] },
    properties: { id, kind: 'rider_rest', status: 'active', name: id, radius_m: null, coverage_radius_m: 1500, opening_hours: '24/7', ...over } as StationFeature['properties'],
  }
}

describe('planBase', () => {
  test('returns nothing for no stations', () => {
    expect(planBase([], { kinds: null })).toEqual({ stations: [], closed: 0, unknownHours: 0 })
  })

  test('keeps active stations of the kinds, with their own radius or the kind default', () => {
    const all = [station('a'), station('b', { radius_m: 900 }), station('c', { status: 'planned' }), station('d', { kind: 'worksite' })]
    expect(planBase(all, { kinds: ['rider_rest'] }).stations.map((s) => [s.id, s.radius_m])).toEqual([['a', 1500], ['b', 900]])
    expect(planBase(all, { kinds: null }).stations.map((s) => [s.id, s.radius_m])).toEqual([['a', 1500], ['b', 900], ['d', 500]])
  })

  test("the planner's radius overrides every station's", () => {
    expect(planBase([station('b', { radius_m: 900 })], { kinds: null, radius_m: 2000 }).stations[0]!.radius_m).toBe(2000)
  })

  test('with a time, counts closed and unknown-hours stations and leaves them out', () => {
    const all = [station('open'), station('shut', { opening_hours: 'closed' }), station('unknown', { opening_hours: null })]
    const isOpen = (h: string | null) => (h === null ? null : h === '24/7')
    const r = planBase(all, { kinds: null, isOpen })
    expect(r.stations.map((s) => s.id)).toEqual(['open'])
    expect([r.closed, r.unknownHours]).toEqual([1, 1])
    expect(planBase(all, { kinds: null, isOpen, tally: () => false })).toMatchObject({ closed: 0, unknownHours: 0 })
  })
})

describe('countInRegions', () => {
  const all = [station('a', { region_code: '370828' }), station('b', { region_code: '361021' }), station('c', { region_code: null }), station('d', { region_code: '370828' })]

  test("counts the base stations coded to one of the region's counties", () => {
    const base = planBase(all, { kinds: null }).stations
    expect(countInRegions(base, all, new Set(['370828']))).toBe(2)
    expect(countInRegions(base, all, new Set(['370828', '361021']))).toBe(3)
    expect(countInRegions(base, all, new Set())).toBe(0)
  })

  test('leaves out stations not in the list (added sites) and those without a county', () => {
    expect(countInRegions([{ id: 'new-1' }, { id: 'c' }, { id: 'a' }], all, new Set(['370828']))).toBe(1)
  })

  test('the first station of an id decides, as a find did', () => {
    const dup = [station('x', { region_code: '370828' }), station('x', { region_code: '361021' })]
    expect(countInRegions([{ id: 'x' }], dup, new Set(['361021']))).toBe(0)
  })

  test('is linear: 10^5 stations in well under a second', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => station(`s${i}`, { region_code: i % 2 ? '370828' : '361021' }))
    const base = planBase(many, { kinds: null }).stations
    const t0 = performance.now()
    expect(countInRegions(base, many, new Set(['370828']))).toBe(50_000)
    // quadratic, this was 5·10^9 comparisons (minutes); linear, tens of milliseconds
    expect(performance.now() - t0).toBeLessThan(1000)
  })
})
