import type { DemandItem } from './demand-item.ts'
import type { GeoIndex } from './geo-index.ts'
import { pointsWithin } from './points-within.ts'

/**
 * Which demand items each candidate site would newly cover, in compressed rows:
 * candidate j covers `items[offsets[j] .. offsets[j + 1])`.
 */
export interface CoverageSets {
  offsets: Int32Array
  items: Int32Array
  /** weight of demand item i (0 when already covered, so it never counts twice) */
  weights: Float64Array
}

/**
 * Builds the candidate → covered-items table the siting solver works on, leaving out items
 * `alreadyCovered` marks (existing stations' reach).
 * @example buildCoverageSets(cells, buildGeoIndex(cells), sites, 1500, mask)
 */
export function buildCoverageSets(
  demand: readonly DemandItem[],
  demandIndex: GeoIndex,
  candidates: ReadonlyArray<{ lon: number; lat: number }>,
  radiusM: number,
  alreadyCovered?: Uint8Array,
): CoverageSets {
  const weights = new Float64Array(demand.length)
  for (let i = 0; i < demand.length; i++) weights[i] = alreadyCovered?.[i] ? 0 : Math.max(0, demand[i]!.weight)
  const offsets = new Int32Array(candidates.length + 1)
  const rows: number[][] = []
  let size = 0
  for (let j = 0; j < candidates.length; j++) {
    const c = candidates[j]!
    const row = pointsWithin(demandIndex, c.lon, c.lat, radiusM).filter((i) => weights[i]! > 0)
    rows.push(row)
    size += row.length
    offsets[j + 1] = size
  }
  const items = new Int32Array(size)
  for (let j = 0; j < rows.length; j++) items.set(rows[j]!, offsets[j]!)
  return { offsets, items, weights }
}
