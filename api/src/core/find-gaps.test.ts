import { cellArea, gridDisk, latLngToCell, cellToLatLng, getResolution, areNeighborCells } from 'h3-js'
import { describe, expect, test } from 'vitest'
import { computeCoverage } from './coverage.ts'
import type { DemandItem } from './demand-item.ts'
import { findGaps } from './find-gaps.ts'

function cluster(lon: number, lat: number, rings: number, weight: number, region_code = '370828'): DemandItem[] {
  return gridDisk(latLngToCell(lat, lon, 9), rings).map((h3) => {
    const [cLat, cLon] = cellToLatLng(h3)
    return { h3, lon: cLon, lat: cLat, weight, region_code }
  })
}

const small = cluster(116.2, 35.0, 1, 10) // 7 cells × 10
const big = cluster(116.4, 35.1, 2, 5, '361021') // 19 cells × 5
const covered = cluster(116.3, 35.05, 1, 100) // within a station's reach

describe('findGaps', () => {
  const demand = [...small, ...big, ...covered]
  const cov = computeCoverage(demand, [{ id: 's', lon: 116.3, lat: 35.05, radius_m: 1000 }])

  test('groups uncovered cells into contiguous areas ranked by unserved demand', () => {
    const gaps = findGaps(demand, cov)
    expect(gaps.map((g) => [g.rank, g.cells.length, g.demand])).toEqual([
      [1, 19, 95],
      [2, 7, 70],
    ])
    expect(gaps[0]!.region_code).toBe('361021')
    expect(gaps[0]!.area_km2).toBeCloseTo(big.reduce((s, c) => s + cellArea(c.h3, 'km2'), 0), 9)
    // every cell of an area touches another cell of it
    for (const g of gaps) for (const c of g.cells) expect(g.cells.some((o) => o !== c && areNeighborCells(o, c))).toBe(true)
  })

  test('reports a demand-weighted centroid, the nearest station distance and a GeoJSON outline', () => {
    const [first] = findGaps(demand, cov)
    expect(first!.centroid[0]).toBeCloseTo(116.4, 2)
    expect(first!.centroid[1]).toBeCloseTo(35.1, 2)
    const within = big.map((d) => cov.nearestM[demand.indexOf(d)]!)
    expect(first!.nearest_station_m).toBeCloseTo(Math.min(...within), 6)
    expect(first!.polygon.length).toBe(1) // one outline, no holes for a disk
    const ring = first!.polygon[0]![0]!
    expect(ring[0]).toEqual(ring[ring.length - 1]) // closed, lon first
    expect(ring[0]![0]).toBeGreaterThan(116)
  })

  test('honours limit and minDemand, and returns nothing when all demand is covered', () => {
    expect(findGaps(demand, cov, { limit: 1 }).length).toBe(1)
    expect(findGaps(demand, cov, { minDemand: 80 }).map((g) => g.demand)).toEqual([95])
    const all = computeCoverage(demand, [{ id: 's', lon: 116.3, lat: 35.05, radius_m: 100_000 }])
    expect(findGaps(demand, all)).toEqual([])
    expect(findGaps([], all)).toEqual([])
  })

  test('keeps only cells with enough unserved demand of their own when asked', () => {
    // every cell of the big cluster holds 5, below 6: it drops out; the small one (10 per cell) stays
    const gaps = findGaps(demand, cov, { minCellDemand: 6 })
    expect(gaps.map((g) => [g.cells.length, g.demand])).toEqual([[7, 70]])
  })

  test('groups on a coarser resolution when asked, keeping the demand', () => {
    const gaps = findGaps(demand, cov, { resolution: 7 })
    expect(gaps.reduce((s, g) => s + g.demand, 0)).toBe(165)
    for (const g of gaps) for (const c of g.cells) expect(getResolution(c)).toBe(7)
  })

  test('gives a null distance when there is no station at all', () => {
    expect(findGaps(small, computeCoverage(small, []))[0]!.nearest_station_m).toBeNull()
  })
})
