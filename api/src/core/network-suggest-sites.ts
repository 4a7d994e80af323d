import type { DemandItem } from './demand-item.ts'
import { buildNetworkCoverageSets } from './network-coverage-sets.ts'
import { computeNetworkCoverage } from './network-coverage.ts'
import type { RoadGraph, TravelMode } from './road-types.ts'
import { siteFromSets } from './site-from-sets.ts'
import type { SitingResult } from './suggest-sites.ts'

export interface NetworkSitingOptions {
  mode: TravelMode
  /** time limit in minutes each site covers (> 0) */
  minutes: number
  /** place exactly this many sites (or fewer when nothing more can be gained) … */
  count?: number
  /** … or the fewest sites that lift the coverage ratio to this (0–1] */
  targetRatio?: number
  /** upper bound on sites for `targetRatio` */
  maxSites?: number
  /** farthest from a road node, metres (default 300) */
  maxSnapM?: number
}

/**
 * suggestSites with travel time on the road network as the coverage rule: maximal covering over
 * `candidates`, the demand `existing` stations already reach within `minutes` counted as covered.
 * The same solver runs on network coverage sets, so `bound` is again a proven upper bound.
 * Demand without road access is in the totals and can never be gained.
 * @example suggestSitesByNetwork(cells, cells, stations, graph, { mode: 'ebike', minutes: 5, count: 3 }).after.ratio // 0.64
 */
export function suggestSitesByNetwork(
  demand: readonly DemandItem[],
  candidates: ReadonlyArray<{ lon: number; lat: number }>,
  existing: ReadonlyArray<{ lon: number; lat: number }>,
  graph: RoadGraph,
  options: NetworkSitingOptions,
): SitingResult {
  const { count, targetRatio, mode, minutes, maxSnapM } = options
  if ((count === undefined) === (targetRatio === undefined)) throw new TypeError('give either count or targetRatio, not both or neither')
  const base = computeNetworkCoverage(demand, existing, graph, { mode, minutes, maxSnapM, nearest: false })
  const sets = buildNetworkCoverageSets(demand, graph, candidates, { mode, minutes, maxSnapM }, base.coveredMask)
  return siteFromSets(sets, candidates, base, options)
}
