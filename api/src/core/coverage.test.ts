import { describe, expect, test } from 'vitest'
import { computeCoverage } from './coverage.ts'
import { EARTH_RADIUS_M, greatCircleDistance } from './great-circle-distance.ts'
import type { DemandItem, Site } from './demand-item.ts'
import { randomDemand, randomPoints } from './test/random-demand.ts'

const JX: [number, number] = [116.311, 35.067]

function item(lon: number, lat: number, weight = 1, region_code: string | null = '370828'): DemandItem {
  return { h3: '8928308280fffff', lon, lat, weight, region_code }
}

describe('computeCoverage', () => {
  test('returns zeros for empty demand', () => {
    const r = computeCoverage([], [{ id: 's', lon: JX[0], lat: JX[1], radius_m: 1500 }])
    expect(r).toMatchObject({ covered: 0, total: 0, ratio: 0, by_region: [] })
    expect(r.coveredMask.length).toBe(0)
  })

  test('covers nothing and has no nearest site when there are no sites', () => {
    const demand = randomDemand('none', ...JX, 3)
    const r = computeCoverage(demand, [])
    expect(r.covered).toBe(0)
    expect(r.total).toBe(demand.reduce((s, d) => s + d.weight, 0))
    expect([...r.nearestM].every((d) => d === Infinity)).toBe(true)
    expect([...r.nearestSite].every((i) => i === -1)).toBe(true)
  })

  test('agrees with an all-pairs check on random cells and sites, each site with its own radius', () => {
    const demand = randomDemand('cells', ...JX, 25)
    const sites: Site[] = randomPoints('sites', 12, ...JX).map((p, i) => ({ id: `s${i}`, ...p, radius_m: 500 + 200 * i }))
    const r = computeCoverage(demand, sites)
    let covered = 0
    demand.forEach((d, i) => {
      const dists = sites.map((s) => greatCircleDistance([d.lon, d.lat], [s.lon, s.lat]))
      const inReach = sites.some((s, j) => dists[j]! <= s.radius_m)
      expect(r.coveredMask[i], `item ${i}`).toBe(inReach ? 1 : 0)
      const min = Math.min(...dists)
      expect(r.nearestM[i]).toBeCloseTo(min, 6)
      expect(dists[r.nearestSite[i]!]).toBeCloseTo(min, 6)
      if (inReach) covered += d.weight
    })
    expect(r.covered).toBe(covered)
    expect(r.ratio).toBeCloseTo(covered / r.total, 12)
    expect(r.covered).toBeGreaterThan(0)
    expect(r.covered).toBeLessThan(r.total)
  })

  test('one radius for all sites overrides their own', () => {
    const demand = randomDemand('override', ...JX, 10)
    const sites: Site[] = [{ id: 'a', lon: JX[0], lat: JX[1], radius_m: 10 }]
    expect(computeCoverage(demand, sites, { radius_m: 2000 }).covered).toBeGreaterThan(computeCoverage(demand, sites).covered)
  })

  test('counts a point exactly on the radius as covered, and one a centimetre beyond as not', () => {
    const r = 1500
    const dLat = (r / EARTH_RADIUS_M) * (180 / Math.PI) // due north along a meridian: exactly r metres
    const onEdge = item(JX[0], JX[1] + dLat)
    const beyond = item(JX[0], JX[1] + dLat * (1 + 0.01 / r))
    const site = [{ id: 'a', lon: JX[0], lat: JX[1], radius_m: r }]
    expect(greatCircleDistance(JX, [onEdge.lon, onEdge.lat])).toBeCloseTo(r, 6)
    expect([...computeCoverage([onEdge, beyond], site).coveredMask]).toEqual([1, 0])
  })

  test('splits totals per county, largest first, and leaves out items without a county', () => {
    const demand = [item(JX[0], JX[1], 5, 'A'), item(JX[0] + 0.1, JX[1], 7, 'B'), item(JX[0] + 0.1, JX[1] + 0.001, 3, 'B'), item(JX[0], JX[1], 1, null)]
    const r = computeCoverage(demand, [{ id: 'a', lon: JX[0], lat: JX[1], radius_m: 100 }])
    expect(r.by_region).toEqual([
      { code: 'B', covered: 0, total: 10, ratio: 0 },
      { code: 'A', covered: 5, total: 5, ratio: 1 },
    ])
    expect(r).toMatchObject({ covered: 6, total: 16 })
  })

  test('rejects a radius that is not positive', () => {
    expect(() => computeCoverage([], [], { radius_m: 0 })).toThrow(/radius_m must be > 0/)
  })
})
