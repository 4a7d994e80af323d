import type { CoverageSets } from './coverage-sets.ts'
import { maximalCovering, type CoveringSolution } from './maximal-covering.ts'

/**
 * The fewest sites (at most `maxSites`) whose coverage reaches `need` weight. A binary search on k
 * with the quick solver (greedy + interchange) finds a k that suffices; the full solver then tries
 * k − 1, k − 2, … while they still reach `need`. `reached` is false when even `maxSites` sites fall
 * short (the solution then is the best found with `maxSites`).
 * @example fewestSites(sets, 0.95 * total - coveredBefore, 100).chosen.length // 7
 */
export function fewestSites(sets: CoverageSets, need: number, maxSites: number): CoveringSolution & { reached: boolean } {
  if (need <= 0) return { chosen: [], gains: [], objective: 0, bound: 0, swaps: 0, reached: true }
  const enough = (s: CoveringSolution) => s.objective >= need * (1 - 1e-12)
  const quick = (k: number) => maximalCovering(sets, k, { iterations: 0 })
  let best = quick(maxSites)
  if (!enough(best)) {
    best = maximalCovering(sets, maxSites)
    return { ...best, reached: enough(best) }
  }
  // invariant: hi sites suffice (best holds that solution), lo sites do not (quick solver)
  let lo = 0
  let hi = best.chosen.length
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    const s = quick(mid)
    if (enough(s)) [hi, best] = [mid, s]
    else lo = mid
  }
  for (let k = hi - 1; k >= 1; k--) {
    const s = maximalCovering(sets, k)
    if (!enough(s)) break
    best = s
  }
  return { ...best, reached: true }
}
