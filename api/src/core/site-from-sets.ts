import type { CoverageSets } from './coverage-sets.ts'
import { totals } from './demand-item.ts'
import { fewestSites } from './fewest-sites.ts'
import { maximalCovering } from './maximal-covering.ts'
import type { SitingResult } from './suggest-sites.ts'

/**
 * The siting step both coverage rules share (straight line in suggestSites, road time in
 * suggestSitesByNetwork): given each candidate's coverage set over the demand the existing
 * stations leave uncovered, place `count` sites by maximal covering, or the fewest reaching
 * `targetRatio`; figures in the demand's unit, `bound` the solver's proven upper bound.
 * @example siteFromSets(sets, cells, { covered: 120, total: 400 }, { count: 3 }).after.ratio // 0.55
 */
export function siteFromSets(
  sets: CoverageSets,
  candidates: ReadonlyArray<{ lon: number; lat: number }>,
  base: { covered: number; total: number },
  options: { count?: number; targetRatio?: number; maxSites?: number },
): SitingResult {
  const { count, targetRatio } = options
  if ((count === undefined) === (targetRatio === undefined)) throw new TypeError('give either count or targetRatio, not both or neither')
  const solution =
    count !== undefined
      ? { ...maximalCovering(sets, count), reached: true }
      : fewestSites(sets, targetRatio! * base.total - base.covered, options.maxSites ?? 200)
  const sites = solution.chosen.map((j, n) => ({ lon: candidates[j]!.lon, lat: candidates[j]!.lat, candidate: j, gain: solution.gains[n]! }))
  return {
    sites,
    before: totals(base.covered, base.total),
    after: totals(base.covered + solution.objective, base.total),
    reached: solution.reached,
    bound: totals(base.covered + solution.bound, base.total),
    swaps: solution.swaps,
  }
}
