/**
 * Each station's reachable area by road (core/network-isochrone.ts: the concave outline of the
 * roads reached within the time limit), drawn in the planner's road-network mode instead of the
 * straight-line circles: a faint fill in the kind's colour, outlined.
 */
import { PolygonLayer } from '@deck.gl/layers'
import type { StationKind } from '@core/station-kinds.ts'
import { kindColor } from './station-style.ts'

export interface IsochroneShape {
  id: string
  kind: StationKind
  /** Polygon coordinates (lon, lat): outer ring first */
  polygon: number[][][]
  existing: boolean
}

export function isochroneLayers(shapes: readonly IsochroneShape[], version: number) {
  return [
    new PolygonLayer<IsochroneShape>({
      id: 'plan-isochrones',
      data: shapes,
      getPolygon: (d) => d.polygon,
      filled: true,
      stroked: true,
      lineWidthUnits: 'pixels',
      getFillColor: (d) => kindColor(d.kind, d.existing ? 30 : 46),
      getLineColor: (d) => kindColor(d.kind, 210),
      getLineWidth: (d) => (d.existing ? 1.2 : 2),
      lineJointRounded: true,
      updateTriggers: { getFillColor: version, getLineColor: version, getLineWidth: version },
    }),
  ]
}
