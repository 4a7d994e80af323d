/** Coverage circles, radius in metres on the ground (the station's effective coverage radius). */
import { ScatterplotLayer } from '@deck.gl/layers'
import type { StationFeature } from '../types.ts'
import { kindColor } from './station-style.ts'

export interface CoverageCirclesOptions {
  /** the selected station's circle is filled more strongly */
  selectedId: string | null
}

export function coverageCirclesLayer(data: StationFeature[], { selectedId }: CoverageCirclesOptions) {
  return new ScatterplotLayer<StationFeature>({
    id: 'station-coverage',
    data,
    radiusUnits: 'meters',
    getPosition: (d) => d.geometry.coordinates as [number, number],
    getRadius: (d) => d.properties.coverage_radius_m,
    filled: true,
    // planned stations: hollow; their dashed ring is drawn by planned-coverage-dashes
    getFillColor: (d) =>
      d.properties.status === 'planned' ? [0, 0, 0, 0] : kindColor(d.properties.kind, d.properties.id === selectedId ? 80 : 30),
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: (d) => (d.properties.status === 'planned' ? 0 : d.properties.id === selectedId ? 2 : 1),
    getLineColor: (d) => kindColor(d.properties.kind, 150),
    updateTriggers: { getFillColor: selectedId, getLineWidth: selectedId },
  })
}
