import seedrandom from 'seedrandom'
import { describe, expect, test } from 'vitest'
import { computeCoverage } from './coverage.ts'
import type { DemandItem, Site } from './demand-item.ts'
import { findGapAreas, findGaps } from './find-gaps.ts'
import { nearestSiteDistance } from './nearest-site-distance.ts'
import { findGapsReference } from './test/find-gaps-reference.ts'
import { randomDemand, randomPoints } from './test/random-demand.ts'

/** Two counties of cells (one with ties: equal weights), a few stations, items without a county. */
function instance(seed: string): { demand: DemandItem[]; sites: Site[] } {
  const rng = seedrandom(seed)
  const demand = [
    ...randomDemand(`${seed}-a`, 116.3, 35.05, 10, 9, 60, '370828'),
    ...randomDemand(`${seed}-b`, 116.42, 35.1, 7, 9, 3, '361021'), // weights 1–2: many equal areas
    ...randomPoints(`${seed}-p`, 300, 116.35, 35.07).map((p, i) => ({ ...p, h3: randomDemand(`${seed}-h${i}`, p.lon, p.lat, 0)[0]?.h3 ?? '8931aa4ab4bffff', weight: 1 + Math.floor(rng() * 5), region_code: i % 3 ? null : '370828' })),
  ]
  const sites = randomPoints(`${seed}-s`, 25, 116.35, 35.07, 0.1, 0.06).map((p, i) => ({ id: `s${i}`, ...p, radius_m: 400 + Math.floor(rng() * 1200) }))
  return { demand, sites }
}

describe('findGapAreas', () => {
  test.each(['one', 'two', 'three'])('equals the previous findGaps to the bit, with lazily found nearest distances (seed %s)', (seed) => {
    const { demand, sites } = instance(seed)
    const full = computeCoverage(demand, sites)
    const mask = computeCoverage(demand, sites, { nearest: false })
    for (const options of [{}, { minCellDemand: 30 }, { minDemand: 50 }, { resolution: 8 }, { resolution: 7, minCellDemand: 100 }]) {
      const reference = findGapsReference(demand, full, options)
      expect(reference.length).toBeGreaterThan(0)
      for (const limit of [undefined, 0, 1, 5]) {
        const got = findGapAreas(demand, { coveredMask: mask.coveredMask, nearestM: nearestSiteDistance(demand, sites) }, { ...options, limit })
        expect(got.count).toBe(reference.length)
        expect(got.areas).toEqual(reference.slice(0, limit ?? Infinity))
        // the precomputed array gives the same as the function
        expect(findGaps(demand, full, { ...options, limit })).toEqual(got.areas)
      }
    }
  }, 60_000)

  test('asks for the nearest distance of the reported areas’ items only', () => {
    const { demand, sites } = instance('four')
    const mask = computeCoverage(demand, sites, { nearest: false })
    const asked = new Set<number>()
    const nearest = nearestSiteDistance(demand, sites)
    const { areas, count } = findGapAreas(demand, { coveredMask: mask.coveredMask, nearestM: (i) => (asked.add(i), nearest(i)) }, { limit: 2 })
    expect(count).toBeGreaterThan(2)
    const cells = new Set(areas.flatMap((a) => a.cells))
    expect(asked.size).toBeGreaterThan(0)
    for (const i of asked) {
      expect(mask.coveredMask[i]).toBe(0)
      expect(cells.has(demand[i]!.h3)).toBe(true)
    }
  })

  test('with no stations every distance is null, as before', () => {
    const { demand } = instance('five')
    const none = computeCoverage(demand, [], { nearest: false })
    const { areas } = findGapAreas(demand, { coveredMask: none.coveredMask, nearestM: nearestSiteDistance(demand, []) }, { limit: 3 })
    expect(areas.map((a) => a.nearest_station_m)).toEqual([null, null, null].slice(0, areas.length))
    expect(areas).toEqual(findGapsReference(demand, computeCoverage(demand, []), {}).slice(0, 3))
  })
})
