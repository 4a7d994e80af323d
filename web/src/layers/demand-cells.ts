/**
 * Demand on the map: H3 hexagons (cell layers) or weighted dots (point layers), unserved ones
 * shaded by weight, covered ones faint. Colours come from the covered mask of the live coverage,
 * so a drag repaints only colours (updateTriggers on the mask's version), never geometry.
 */
import { H3HexagonLayer } from '@deck.gl/geo-layers'
import { ScatterplotLayer } from '@deck.gl/layers'
import type { DemandItem } from '@core/demand-item.ts'
import { COVERED_COLOR, seeThroughColor, seeThroughOutline, unservedColor } from './demand-shading.ts'

export const DEMAND_CELLS_LAYER_ID = 'demand-cells'

export interface DemandCellsState {
  items: DemandItem[]
  kind: 'h3' | 'point'
  /** 1 = covered, per item */
  coveredMask: Uint8Array
  /** bumped whenever coveredMask changes */
  maskVersion: number
  breaks: readonly number[]
  /** the largest weight, for sizing dots */
  maxWeight: number
  /** streets are drawn under the cells (roads loaded, zoomed to STREET_ZOOM or closer): fills go see-through, outlines carry the class */
  seeThrough?: boolean
}

export function demandCellsLayer(s: DemandCellsState) {
  const fill = (d: DemandItem, { index }: { index: number }) => (s.coveredMask[index] ? COVERED_COLOR : unservedColor(d.weight, s.breaks))
  if (s.kind === 'point') {
    return new ScatterplotLayer<DemandItem>({
      id: DEMAND_CELLS_LAYER_ID,
      data: s.items,
      getPosition: (d) => [d.lon, d.lat],
      radiusUnits: 'pixels',
      // area ∝ weight, 3–14 px
      getRadius: (d) => 3 + 11 * Math.sqrt(d.weight / (s.maxWeight || 1)),
      getFillColor: fill,
      stroked: true,
      lineWidthUnits: 'pixels',
      getLineWidth: 0.75,
      getLineColor: [255, 255, 255, 200],
      updateTriggers: { getFillColor: [s.maskVersion, s.breaks], getRadius: s.maxWeight },
    })
  }
  const seeThrough = s.seeThrough ?? false
  const unserved = (d: DemandItem, index: number) => (s.coveredMask[index] ? null : unservedColor(d.weight, s.breaks))
  return new H3HexagonLayer<DemandItem>({
    id: DEMAND_CELLS_LAYER_ID,
    data: s.items,
    getHexagon: (d) => d.h3,
    extruded: false,
    filled: true,
    // outlines only over streets: unserved cells keep their class in the outline while the fill lets the streets through
    stroked: seeThrough,
    lineWidthUnits: 'pixels',
    getLineWidth: 1.25,
    getLineColor: (d, { index }) => {
      const c = unserved(d, index)
      return c ? seeThroughOutline(c) : [0, 0, 0, 0]
    },
    // one hexagon shape instanced for every cell: fast enough to recolour 10k+ cells per frame
    highPrecision: false,
    getFillColor: seeThrough ? (d, { index }) => { const c = unserved(d, index); return c ? seeThroughColor(c) : COVERED_COLOR } : fill,
    updateTriggers: { getFillColor: [s.maskVersion, s.breaks, seeThrough], getLineColor: [s.maskVersion, s.breaks] },
  })
}
