import { buildCoverageSets } from './coverage-sets.ts'
import { computeCoverage } from './coverage.ts'
import type { CoverageTotals, DemandItem, Site } from './demand-item.ts'
import { geoIndexOf } from './geo-index.ts'
import { siteFromSets } from './site-from-sets.ts'

export interface SitingOptions {
  /** coverage radius of each new site, metres on the sphere */
  radius_m: number
  /** place exactly this many sites (or fewer when nothing more can be gained) … */
  count?: number
  /** … or the fewest sites that lift the coverage ratio to this (0–1] */
  targetRatio?: number
  /** upper bound on sites for `targetRatio` */
  maxSites?: number
}

export interface SuggestedSite {
  lon: number
  lat: number
  /** index into the candidate list */
  candidate: number
  /** demand newly covered by this site, given the sites before it */
  gain: number
}

export interface SitingResult {
  /** in the order chosen: largest marginal gain first */
  sites: SuggestedSite[]
  before: CoverageTotals
  after: CoverageTotals
  /** for `targetRatio`: whether the target was reached within `maxSites` */
  reached: boolean
  /** no choice of as many sites from the candidates can cover more than this (Lagrangian bound) */
  bound: CoverageTotals
  /** improving swaps the local search made after the greedy start */
  swaps: number
}

/**
 * Where to put new stations: maximal covering over `candidates` (e.g. demand cell centres), with
 * the demand `existing` stations already reach counted as covered.
 * @example suggestSites(cells, cells, stations, { radius_m: 1500, count: 5 }).after.ratio // 0.81
 */
export function suggestSites(
  demand: readonly DemandItem[],
  candidates: ReadonlyArray<{ lon: number; lat: number }>,
  existing: readonly Site[],
  options: SitingOptions,
): SitingResult {
  const { radius_m, count, targetRatio } = options
  if (!(radius_m > 0)) throw new RangeError(`radius_m must be > 0 metres, got ${radius_m}`)
  if ((count === undefined) === (targetRatio === undefined)) throw new TypeError('give either count or targetRatio, not both or neither')
  const base = computeCoverage(demand, existing, { nearest: false })
  const sets = buildCoverageSets(demand, geoIndexOf(demand), candidates, radius_m, base.coveredMask)
  return siteFromSets(sets, candidates, base, options)
}
