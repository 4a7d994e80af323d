/** Outline of the gap area picked in the ranked list: a dark line with a white casing, faint fill. */
import { PolygonLayer } from '@deck.gl/layers'

export interface GapShape {
  /** MultiPolygon coordinates (lon, lat) */
  polygon: number[][][][]
}

export function gapHighlightLayers(gap: GapShape | null) {
  const polygons = gap ? gap.polygon : []
  const common = { data: polygons, getPolygon: (p: number[][][]) => p, lineWidthUnits: 'pixels' as const, stroked: true, lineJointRounded: true }
  return [
    new PolygonLayer<number[][][]>({ ...common, id: 'gap-highlight-casing', filled: true, getFillColor: [122, 1, 119, 28], getLineColor: [255, 255, 255, 230], getLineWidth: 5 }),
    new PolygonLayer<number[][][]>({ ...common, id: 'gap-highlight', filled: false, getLineColor: [40, 20, 60, 255], getLineWidth: 2 }),
  ]
}
