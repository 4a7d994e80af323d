import { cellToLatLng, cellToParent } from 'h3-js'
import type { DemandItem } from './demand-item.ts'

/**
 * Sums H3 demand cells into their parents at a coarser `resolution`. Each parent's weight is the sum
 * of its children's (in the layer's unit: the total is preserved exactly up to float rounding), its
 * position the parent cell's centre (WGS-84 degrees), and its region_code that of the heaviest single
 * child (ties: the smaller code), so a parent on a county border counts once, for the county that
 * holds most of it. Output is ordered by H3 index; points carry no name after merging.
 *
 * @param items cells at one resolution finer than or equal to `resolution` (any order)
 * @param resolution the H3 resolution of the parents (0–15, ≤ the items' resolution)
 * @example aggregateToParents(res9Cells, 8) // res-8 cells, each ≈ 7 res-9 children summed
 */
export function aggregateToParents(items: readonly DemandItem[], resolution: number): (DemandItem & { name: null })[] {
  const steps = aggregateToParentsInSlices(items, resolution, Infinity)
  let r = steps.next()
  while (!r.done) r = steps.next()
  return r.value
}

/**
 * aggregateToParents as a generator, for a caller on a busy thread (the embedded database's): it
 * pauses (yields) after every `sliceSize` items, and after every `sliceSize` parents, and returns the
 * same parents when done — the result does not depend on `sliceSize`.
 * @param sliceSize items (then parents) handled between pauses; Infinity: pause only between the phases
 */
export function* aggregateToParentsInSlices(items: readonly DemandItem[], resolution: number, sliceSize = Infinity): Generator<void, (DemandItem & { name: null })[], void> {
  const parents = new Map<string, { weight: number; byRegion: Map<string | null, number> }>()
  let n = 0
  for (const item of items) {
    const parent = cellToParent(item.h3, resolution)
    const p = parents.get(parent) ?? { weight: 0, byRegion: new Map() }
    p.weight += item.weight
    // Heaviest child, not the heaviest region total: the rule the lead's coverage expects.
    p.byRegion.set(item.region_code, Math.max(p.byRegion.get(item.region_code) ?? 0, item.weight))
    parents.set(parent, p)
    if (++n % sliceSize === 0) yield
  }
  const sorted = [...parents.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))
  yield
  const out = new Array<DemandItem & { name: null }>(sorted.length)
  for (let i = 0; i < sorted.length; i++) {
    const [h3, p] = sorted[i]!
    const [lat, lon] = cellToLatLng(h3)
    const region = [...p.byRegion.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))[0]![0]
    out[i] = { h3, lon, lat, weight: p.weight, region_code: region, name: null }
    if ((i + 1) % sliceSize === 0) yield
  }
  return out
}

