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
import { findGaps, type GapArea } from '@core/find-gaps.ts'

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
export function liveGaps(demand: readonly DemandItem[], sites: readonly Site[], minCellDemand: number, limit?: number): Timed<{ areas: GapArea[]; all: number }> {
  return timed(() => {
    const all = findGaps(demand, computeCoverage(demand, sites), { minCellDemand })
    return { areas: limit === undefined ? all : all.slice(0, limit), all: all.length }
  })
}
