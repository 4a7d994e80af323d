/**
 * Coverage and gaps recomputed in the browser on the loaded demand cells, with the same core the
 * API runs (api/src/core), so a drag needs no server round trip. Timed with performance.now():
 * the page shows and exposes the real figure (window.__atlas.lastRecomputeMs).
 *
 * Two steps, because their costs differ by ~50× on 金乡县 at res 9 (10.7k cells): coverage with
 * the covered mask (what the figures and the hexagon shading need) is kept up to date site by site
 * (api/src/core/coverage-counter.ts) on every drag frame; the ranked gap areas (flood fill + outlines,
 * ~100 ms) run once the drag ends.
 */
import type { DemandItem, Site } from '@core/demand-item.ts'
import { computeCoverage } from '@core/coverage.ts'
import { findGapAreas, type GapArea } from '@core/find-gaps.ts'
import { nearestSiteDistance } from '@core/nearest-site-distance.ts'

export interface Timed<T> {
  value: T
  ms: number
}

function timed<T>(fn: () => T): Timed<T> {
  const t0 = performance.now()
  const value = fn()
  return { value, ms: performance.now() - t0 }
}

import { CoverageCounter, type CountedCoverage } from '@core/coverage-counter.ts'
import { computeNetworkCoverage } from '@core/network-coverage.ts'
import { findNetworkGaps, type RoadGapArea } from '@core/network-gaps.ts'
import type { RoadGraph, TravelMode } from '@core/road-types.ts'

/** Coverage by travel time on the region's road graph (the 路网 rule). */
export interface NetworkRule {
  graph: RoadGraph
  mode: TravelMode
  minutes: number
}

/**
 * Coverage by road, recomputed whole (one multi-source search over the county's graph, a few ms for
 * a town; the straight-line counter's site-by-site update has no road counterpart), with the demand
 * no road reaches.
 */
export function liveNetworkCoverage(demand: readonly DemandItem[], sites: readonly Site[], rule: NetworkRule): Timed<CountedCoverage & { noRoad: number }> {
  return timed(() => {
    const r = computeNetworkCoverage(demand, sites, rule.graph, { mode: rule.mode, minutes: rule.minutes, nearest: false })
    return { covered: r.covered, total: r.total, ratio: r.ratio, by_region: r.by_region, coveredMask: r.coveredMask, noRoad: r.no_road_access.demand }
  })
}

/** Covered/total, per county and the covered mask after the network became `sites`. */
export function liveCoverage(counter: CoverageCounter, sites: readonly Site[]): Timed<CountedCoverage> {
  return timed(() => {
    counter.setSites(sites)
    return counter.result()
  })
}

/**
 * Ranked under-served areas, as GET /api/gaps computes them (nearest distances included);
 * `minCellDemand` as the API's default: gapCellThreshold over the region's demand.
 */
export function liveGaps(demand: readonly DemandItem[], sites: readonly Site[], minCellDemand: number, limit?: number, network: NetworkRule | null = null): Timed<{ areas: Array<GapArea | RoadGapArea>; all: number }> {
  return timed(() => {
    if (network) {
      const all: RoadGapArea[] = findNetworkGaps(demand, sites, network.graph, { mode: network.mode, minutes: network.minutes, minCellDemand }).areas
      return { areas: limit === undefined ? all : all.slice(0, limit), all: all.length }
    }
    // as the API's gaps task: details and nearest distances only for the areas shown
    const { coveredMask } = computeCoverage(demand, sites, { nearest: false })
    const { areas, count } = findGapAreas(demand, { coveredMask, nearestM: nearestSiteDistance(demand, sites) }, { minCellDemand, limit })
    return { areas, all: count }
  })
}
