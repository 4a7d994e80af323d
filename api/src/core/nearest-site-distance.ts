import type { DemandItem, Site } from './demand-item.ts'
import { buildGeoIndex, type GeoIndex } from './geo-index.ts'
import { nearestPoint } from './nearest-point.ts'

/**
 * Great-circle metres from demand item i to its nearest site, on demand: the same index and lookup
 * as computeCoverage's nearestM (so the same value, ties included), built on the first call. For
 * findGapAreas, which asks only about the items of the areas it reports.
 * @example nearestSiteDistance(cells, stations)(0) // 812.3
 */
export function nearestSiteDistance(demand: readonly DemandItem[], sites: readonly Site[]): (i: number) => number {
  let index: GeoIndex | null = null
  return (i) => {
    if (sites.length === 0) return Infinity
    index ??= buildGeoIndex(sites)
    const d = demand[i]!
    return nearestPoint(index, d.lon, d.lat)!.distance_m
  }
}
