import type { CoverageSets } from './coverage-sets.ts'
import { maximalCovering, type CoveringSolution } from './maximal-covering.ts'

/**
 * The fewest sites (at most `maxSites`) whose coverage reaches `need` weight: binary search on k
 * over maximalCovering, whose objective grows with k. `reached` is false when even `maxSites`
 * sites fall short (the solution then is the best with `maxSites`).
 * @example fewestSites(sets, 0.95 * total - coveredBefore, 200).chosen.length // 7
 */
export function fewestSites(sets: CoverageSets, need: number, maxSites: number): CoveringSolution & { reached: boolean } {
  if (need <= 0) return { chosen: [], gains: [], objective: 0, swaps: 0, reached: true }
  const enough = (s: CoveringSolution) => s.objective >= need * (1 - 1e-12)
  const widest = maximalCovering(sets, maxSites)
  if (!enough(widest)) return { ...widest, reached: false }
  // invariant: hi sites suffice (best holds that solution), lo sites do not
  let lo = 0
  let hi = widest.chosen.length
  let best = widest
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    const s = maximalCovering(sets, mid)
    if (enough(s)) [hi, best] = [mid, s]
    else lo = mid
  }
  return { ...best, reached: true }
}
