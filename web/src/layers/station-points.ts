/** Station symbols, sized in screen pixels: filled discs when active, hollow rings when planned. */
import { ScatterplotLayer } from '@deck.gl/layers'
import type { StationFeature } from '../types.ts'
import { RETIRED_COLOR, kindColor } from './station-style.ts'

export const STATION_POINTS_LAYER_ID = 'station-points'

export interface StationPointsOptions {
  selectedId: string | null
}

const WHITE: [number, number, number, number] = [255, 255, 255, 255]
const INK: [number, number, number, number] = [20, 28, 40, 255]

export function stationPointsLayer(data: StationFeature[], { selectedId }: StationPointsOptions) {
  return new ScatterplotLayer<StationFeature>({
    id: STATION_POINTS_LAYER_ID,
    data,
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 110],
    radiusUnits: 'pixels',
    getPosition: (d) => d.geometry.coordinates as [number, number],
    getRadius: (d) => (d.properties.kind === 'service_centre' ? 7 : 5) + (d.properties.id === selectedId ? 2 : 0),
    filled: true,
    getFillColor: (d) => {
      if (d.properties.status === 'planned') return WHITE
      if (d.properties.status === 'retired') return RETIRED_COLOR
      return kindColor(d.properties.kind)
    },
    stroked: true,
    lineWidthUnits: 'pixels',
    getLineWidth: (d) => (d.properties.id === selectedId ? 2.5 : d.properties.status === 'planned' ? 2.2 : 1.5),
    getLineColor: (d) => {
      if (d.properties.id === selectedId) return INK
      return d.properties.status === 'planned' ? kindColor(d.properties.kind) : WHITE
    },
    updateTriggers: {
      getRadius: selectedId,
      getLineWidth: selectedId,
      getLineColor: selectedId,
    },
  })
}
