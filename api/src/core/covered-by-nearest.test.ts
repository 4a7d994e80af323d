import seedrandom from 'seedrandom'
import { describe, expect, test } from 'vitest'
import { computeCoverage } from './coverage.ts'
import { coveredByNearest, DEMAND_FIRST_SITES } from './covered-by-nearest.ts'
import type { DemandItem, Site } from './demand-item.ts'
import { geoIndexOf } from './geo-index.ts'
import { greatCircleDistance } from './great-circle-distance.ts'
import { pointsWithin } from './points-within.ts'

/** The mask as coverage.ts marks it around each site: the reference. */
function markedAroundSites(demand: DemandItem[], sites: Site[], radiusM?: number): Uint8Array {
  const mask = new Uint8Array(demand.length)
  const index = geoIndexOf(demand)
  for (const s of sites) for (const i of pointsWithin(index, s.lon, s.lat, radiusM ?? s.radius_m)) mask[i] = 1
  return mask
}

function scatter(n: number, rng: () => number, [w, s, e, nn]: number[]) {
  return Array.from({ length: n }, () => ({ lon: w! + rng() * (e! - w!), lat: s! + rng() * (nn! - s!) }))
}

describe('coveredByNearest', () => {
  test('gives the same mask as marking around each site, for mixed radii, one radius and many radii', () => {
    const rng = seedrandom('covered-by-nearest')
    for (const box of [[116.2, 35.0, 116.4, 35.2], [127.2, 49.9, 127.8, 50.4]]) {
      const demand = scatter(4000, rng, box).map((p, i) => ({ ...p, h3: String(i), weight: 1, region_code: null }))
      const radii = [500, 1000, 1500, 3000]
      const sites = scatter(300, rng, box).map((p, i) => ({ ...p, id: String(i), radius_m: radii[i % 4]! }))
      expect(coveredByNearest(demand, sites)).toEqual(markedAroundSites(demand, sites))
      expect(coveredByNearest(demand, sites, 800)).toEqual(markedAroundSites(demand, sites, 800))
      // more distinct radii than bands: neighbouring radii share a band
      const many = sites.map((s, i) => ({ ...s, radius_m: 300 + i * 7 }))
      expect(coveredByNearest(demand, many)).toEqual(markedAroundSites(demand, many))
    }
  })

  test('an item exactly at a site’s radius is covered, one a millimetre beyond is not', () => {
    const site = { id: 's', lon: 116.3, lat: 35.1, radius_m: 0 }
    const at = { h3: 'a', lon: 116.31234, lat: 35.1042, weight: 1, region_code: null }
    site.radius_m = greatCircleDistance([site.lon, site.lat], [at.lon, at.lat])
    expect([...coveredByNearest([at], [site])]).toEqual([1])
    expect([...coveredByNearest([at], [{ ...site, radius_m: site.radius_m - 0.001 }])]).toEqual([0])
    expect([...markedAroundSites([at], [site])]).toEqual([1])
  })

  test('computeCoverage takes it from DEMAND_FIRST_SITES sites on, with the same mask and totals', () => {
    const rng = seedrandom('dense-sites')
    const box = [116.2, 35.0, 116.3, 35.1]
    const demand = scatter(1500, rng, box).map((p, i) => ({ ...p, h3: String(i), weight: 1 + (i % 7), region_code: i % 2 ? '370828' : null }))
    const sites = scatter(DEMAND_FIRST_SITES, rng, [116.0, 34.9, 116.5, 35.3]).map((p, i) => ({ ...p, id: String(i), radius_m: [200, 400, 900][i % 3]! }))
    const dense = computeCoverage(demand, sites, { nearest: false })
    expect(dense.coveredMask).toEqual(markedAroundSites(demand, sites))
    // one site fewer marks around each site: the same answer
    const sparse = computeCoverage(demand, sites.slice(1), { nearest: false })
    expect(sparse.coveredMask).toEqual(markedAroundSites(demand, sites.slice(1)))
    expect(dense.covered).toBeGreaterThan(0)
    expect(dense.covered).toBeLessThan(dense.total)
  })

  test('empty demand or no sites: nothing covered', () => {
    expect(coveredByNearest([], [{ id: 's', lon: 0, lat: 0, radius_m: 10 }])).toHaveLength(0)
    expect([...coveredByNearest([{ h3: 'a', lon: 0, lat: 0, weight: 1, region_code: null }], [])]).toEqual([0])
  })
})
