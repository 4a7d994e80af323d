import { totals, type CoverageTotals, type DemandItem } from './demand-item.ts'

export interface RegionCoverage extends CoverageTotals {
  code: string
}

/**
 * Covered and total demand, overall and per county (largest total first), from a mask of covered
 * items; items without a county count only in the overall figures.
 * @example summariseCoverage(cells, mask).by_region[0] // { code: '370828', covered: 218034, total: 634100, ratio: 0.34 }
 */
export function summariseCoverage(demand: readonly DemandItem[], coveredMask: Uint8Array): CoverageTotals & { by_region: RegionCoverage[] } {
  let covered = 0
  let total = 0
  const regions = new Map<string, { covered: number; total: number }>()
  for (let i = 0; i < demand.length; i++) {
    const { weight, region_code } = demand[i]!
    const c = coveredMask[i] ? weight : 0
    covered += c
    total += weight
    if (region_code === null) continue
    let r = regions.get(region_code)
    if (!r) regions.set(region_code, (r = { covered: 0, total: 0 }))
    r.covered += c
    r.total += weight
  }
  const by_region = [...regions]
    .map(([code, r]) => ({ code, ...totals(r.covered, r.total) }))
    .sort((a, b) => b.total - a.total || a.code.localeCompare(b.code))
  return { ...totals(covered, total), by_region }
}
