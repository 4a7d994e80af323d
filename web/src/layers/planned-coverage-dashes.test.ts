import { describe, expect, test } from 'vitest'
import type { StationFeature } from '../types.ts'
import { dashedRing, plannedDashes } from './planned-coverage-dashes.ts'

const EARTH_M_PER_DEG = 111_320

describe('dashedRing', () => {
  test('puts every vertex at the radius (local metres), half the circle inked', () => {
    const [lon, lat] = [116.28, 35.04]
    const arcs = dashedRing([lon, lat], 1500, 20)
    expect(arcs).toHaveLength(20)
    for (const arc of arcs) {
      for (const [x, y] of arc) {
        const dx = (x! - lon) * EARTH_M_PER_DEG * Math.cos((lat * Math.PI) / 180)
        const dy = (y! - lat) * EARTH_M_PER_DEG
        expect(Math.hypot(dx, dy)).toBeCloseTo(1500, 6)
      }
    }
  })
})

describe('plannedDashes', () => {
  const station = (id: string, status: 'planned' | 'active') =>
    ({ type: 'Feature', geometry: { type: 'Point', coordinates: [116, 35] }, properties: { id, status, kind: 'rider_rest', coverage_radius_m: 1500 } }) as StationFeature

  test('returns nothing for empty input', () => {
    expect(plannedDashes([])).toEqual([])
  })

  test('dashes only planned stations, and reuses the result for the same array', () => {
    const data = [station('a', 'planned'), station('b', 'active')]
    const dashes = plannedDashes(data)
    expect(dashes.length).toBeGreaterThan(0)
    expect(new Set(dashes.map((d) => d.station.properties.id))).toEqual(new Set(['a']))
    expect(plannedDashes(data)).toBe(dashes)
  })
})
