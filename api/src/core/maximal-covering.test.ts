import { describe, expect, test } from 'vitest'
import { buildCoverageSets, type CoverageSets } from './coverage-sets.ts'
import { fewestSites } from './fewest-sites.ts'
import { buildGeoIndex } from './geo-index.ts'
import { maximalCovering } from './maximal-covering.ts'
import { exactFewestSites, exactMaximalCovering } from './test/exact-mclp.ts'
import { randomDemand, randomPoints } from './test/random-demand.ts'

/** A clustered instance: demand around a few seeded towns, candidates anywhere in the box. */
function instance(seed: string, nCand: number, radius: number): CoverageSets {
  const towns = randomPoints(`${seed}-towns`, 4, 116.31, 35.07, 0.08, 0.06)
  const demand = towns.flatMap((t, i) => randomDemand(`${seed}-${i}`, t.lon, t.lat, 6, 9, 100))
  const candidates = randomPoints(`${seed}-cand`, nCand, 116.31, 35.07, 0.1, 0.08)
  return buildCoverageSets(demand, buildGeoIndex(demand), candidates, radius)
}

function coveredBy(sets: CoverageSets, chosen: number[]): number {
  const seen = new Set<number>()
  for (const j of chosen) for (let p = sets.offsets[j]!; p < sets.offsets[j + 1]!; p++) seen.add(sets.items[p]!)
  return [...seen].reduce((s, i) => s + sets.weights[i]!, 0)
}

describe('maximalCovering', () => {
  test('returns no sites for k = 0 and rejects a negative k', () => {
    const sets = instance('zero', 10, 800)
    expect(maximalCovering(sets, 0)).toMatchObject({ chosen: [], objective: 0 })
    expect(() => maximalCovering(sets, -1)).toThrow(/k must be/)
  })

  test('stops early when nothing more can be covered', () => {
    const sets = instance('few', 5, 800)
    const s = maximalCovering(sets, 50)
    expect(s.chosen.length).toBeLessThanOrEqual(5)
    expect(s.objective).toBeCloseTo(coveredBy(sets, [0, 1, 2, 3, 4]), 6)
  })

  test('reports marginal gains in the order chosen that add up to the covered demand', () => {
    const sets = instance('gains', 60, 900)
    const s = maximalCovering(sets, 6)
    expect(s.chosen.length).toBe(6)
    expect(s.gains.reduce((a, b) => a + b, 0)).toBeCloseTo(s.objective, 6)
    expect(coveredBy(sets, s.chosen)).toBeCloseTo(s.objective, 6)
    for (let i = 1; i < s.gains.length; i++) expect(s.gains[i]!).toBeLessThanOrEqual(s.gains[i - 1]! + 1e-9)
  })

  // the exact optimum from HiGHS (mixed-integer program) on seeded instances
  for (const [seed, nCand, k, radius] of [
    ['a', 60, 3, 800],
    ['b', 80, 5, 700],
    ['c', 100, 8, 600],
    ['d', 120, 4, 1000],
    ['e', 150, 10, 500],
  ] as const) {
    test(`is within 1% of the HiGHS optimum (instance ${seed}: ${nCand} candidates, k = ${k})`, async () => {
      const sets = instance(seed, nCand, radius)
      const exact = await exactMaximalCovering(sets, k)
      expect(exact.status).toBe('Optimal')
      expect(coveredBy(sets, exact.chosen)).toBeCloseTo(exact.objective, 4)
      const ours = maximalCovering(sets, k)
      expect(ours.objective).toBeLessThanOrEqual(exact.objective + 1e-6)
      expect(ours.objective).toBeGreaterThanOrEqual(0.99 * exact.objective)
      // the Lagrangian bound really bounds the optimum
      expect(ours.bound).toBeGreaterThanOrEqual(exact.objective - 1e-6)
    })
  }
})

describe('fewestSites', () => {
  test('needs no site when nothing is needed', () => {
    expect(fewestSites(instance('none', 10, 800), 0, 10)).toMatchObject({ chosen: [], reached: true })
  })

  test('says so when the target cannot be reached', () => {
    const sets = instance('short', 20, 500)
    const all = coveredBy(sets, Array.from({ length: 20 }, (_, j) => j))
    const s = fewestSites(sets, all + 1, 20)
    expect(s.reached).toBe(false)
    expect(s.objective).toBeCloseTo(all, 6)
  })

  for (const [seed, share] of [
    ['f', 0.5],
    ['g', 0.8],
  ] as const) {
    test(`matches the HiGHS minimum number of sites (instance ${seed}, ${share * 100}% of coverable demand)`, async () => {
      const sets = instance(seed, 80, 800)
      const need = share * coveredBy(sets, Array.from({ length: 80 }, (_, j) => j))
      const exact = await exactFewestSites(sets, need)
      expect(exact.status).toBe('Optimal')
      const ours = fewestSites(sets, need, 80)
      expect(ours.reached).toBe(true)
      expect(ours.objective).toBeGreaterThanOrEqual(need * (1 - 1e-12))
      // a heuristic may need one more site than the optimum, never fewer
      expect(ours.chosen.length).toBeGreaterThanOrEqual(Math.round(exact.objective))
      expect(ours.chosen.length).toBeLessThanOrEqual(Math.round(exact.objective) + 1)
      console.log(`instance ${seed}: ${ours.chosen.length} sites (optimum ${exact.objective})`)
    })
  }
})
