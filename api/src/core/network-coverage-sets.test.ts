import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import type { DemandItem } from './demand-item.ts'
import { maximalCovering } from './maximal-covering.ts'
import { buildNetworkCoverageSets } from './network-coverage-sets.ts'
import { computeNetworkCoverage } from './network-coverage.ts'
import { suggestSitesByNetwork } from './network-suggest-sites.ts'
import { exactMaximalCovering } from './test/exact-mclp.ts'
import { loadTown } from './test/town.ts'

const { graph } = await loadTown()
const rng = seedrandom('town-sets')
const rand = () => ({ lon: 116.295 + rng() * 0.04, lat: 35.046 + rng() * 0.024 })
const demand: DemandItem[] = Array.from({ length: 200 }, () => ({ h3: 'x', ...rand(), weight: 1 + Math.floor(rng() * 20), region_code: '370828' }))
const candidates = Array.from({ length: 40 }, rand)
const existing = [rand()]

describe('buildNetworkCoverageSets', () => {
  it('gives each candidate exactly the items a network coverage from that candidate alone covers', () => {
    for (const mode of ['ebike', 'foot'] as const) {
      const sets = buildNetworkCoverageSets(demand, graph, candidates, { mode, minutes: 4 })
      candidates.forEach((c, j) => {
        const alone = computeNetworkCoverage(demand, [c], graph, { mode, minutes: 4 })
        const expected = [...alone.coveredMask.keys()].filter((i) => alone.coveredMask[i])
        expect([...sets.items.subarray(sets.offsets[j]!, sets.offsets[j + 1]!)]).toEqual(expected)
      })
    }
  })

  it('gives items already covered or without road access no weight', () => {
    const base = computeNetworkCoverage(demand, existing, graph, { mode: 'ebike', minutes: 5 })
    const sets = buildNetworkCoverageSets(demand, graph, candidates, { mode: 'ebike', minutes: 5 }, base.coveredMask)
    demand.forEach((d, i) => expect(sets.weights[i]).toBe(base.coveredMask[i] || base.noRoadMask[i] ? 0 : d.weight))
  })
})

describe('suggestSitesByNetwork', () => {
  it('keeps the proven bound: its answer ≤ the HiGHS optimum ≤ its bound, on network coverage sets', async () => {
    for (const k of [1, 2, 3]) {
      const result = suggestSitesByNetwork(demand, candidates, existing, graph, { mode: 'ebike', minutes: 3, count: k })
      const base = computeNetworkCoverage(demand, existing, graph, { mode: 'ebike', minutes: 3 })
      const sets = buildNetworkCoverageSets(demand, graph, candidates, { mode: 'ebike', minutes: 3 }, base.coveredMask)
      const exact = await exactMaximalCovering(sets, k, 60)
      const gained = result.after.covered - result.before.covered
      expect(gained).toBeLessThanOrEqual(exact.objective + 1e-9)
      expect(result.bound.covered - result.before.covered).toBeGreaterThanOrEqual(exact.objective - 1e-9)
      expect(gained).toBeGreaterThanOrEqual(0.99 * exact.objective)
      expect(result.before.covered).toBe(base.covered)
      // the chosen sites, added as stations, really cover what the result says
      const after = computeNetworkCoverage(demand, [...existing, ...result.sites], graph, { mode: 'ebike', minutes: 3 })
      expect(after.covered).toBe(result.after.covered)
      expect(maximalCovering(sets, k).objective).toBeCloseTo(gained, 9)
    }
  })

  it('finds the fewest sites for a target ratio by road', () => {
    const r = suggestSitesByNetwork(demand, candidates, [], graph, { mode: 'foot', minutes: 10, targetRatio: 0.5, maxSites: 20 })
    expect(r.reached).toBe(true)
    expect(r.after.ratio).toBeGreaterThanOrEqual(0.5)
    expect(() => suggestSitesByNetwork(demand, candidates, [], graph, { mode: 'foot', minutes: 10 })).toThrow(/count or targetRatio/)
  })
})
