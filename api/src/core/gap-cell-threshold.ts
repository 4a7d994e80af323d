import type { DemandItem } from './demand-item.ts'

/**
 * The default demand a cell needs to count towards an under-served area: the upper quartile of the
 * cell demands of the area being planned. Where demand is spread over a whole county (a modelled
 * population layer), lower thresholds join every settlement's tail into one county-wide ring around
 * the stations; the densest quarter of cells separates into pockets a planner can act on. It adapts
 * to the place (dense county seat vs. thinly settled forest land) and to the resolution.
 * Point layers (enterprises, sites) get 0: every point counts.
 * @example gapCellThreshold(cells) // 65.5 (persons per res-9 cell in 金乡县)
 */
export function gapCellThreshold(demand: readonly DemandItem[], isPointLayer = false): number {
  if (isPointLayer) return 0
  const w = demand.map((d) => d.weight).filter((x) => x > 0).sort((a, b) => a - b)
  if (w.length === 0) return 0
  // nearest-rank upper quartile
  return w[Math.ceil(0.75 * w.length) - 1]!
}
