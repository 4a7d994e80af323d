import { describe, expect, it } from 'vitest'
import { TRAVEL_ASSUMPTIONS, travelTime } from './travel-time.ts'

describe('travelTime', () => {
  it('estimates 1500 m (a rider stop radius) as ≈ 26 min on foot and 8 min by e-bike', () => {
    // 1500 × 1.3 = 1950 m; 1950 / 75 m/min = 26; 1950 / 250 m/min = 7.8 → 8
    expect(travelTime(1500)).toEqual({ walk_min: 26, ride_min: 8 })
  })

  it('never says 0 minutes', () => {
    expect(travelTime(0)).toEqual({ walk_min: 1, ride_min: 1 })
    expect(travelTime(10)).toEqual({ walk_min: 1, ride_min: 1 })
  })

  it('takes other speeds and detour factors', () => {
    expect(travelTime(1000, { walk_kmh: 6, ride_kmh: 20, detour: 1 })).toEqual({ walk_min: 10, ride_min: 3 })
  })

  it('states its assumptions', () => {
    expect(TRAVEL_ASSUMPTIONS).toEqual({ walk_kmh: 4.5, ride_kmh: 15, detour: 1.3 })
  })

  it.each([-1, Number.NaN, Infinity])('rejects distance %s', (d) => {
    expect(() => travelTime(d)).toThrow(/distance_m/)
  })
})
