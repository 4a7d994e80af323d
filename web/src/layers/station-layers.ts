/** The station layer stack, bottom to top: coverage fills, planned rings, station symbols. */
import type { StationFeature } from '../types.ts'
import { coverageCirclesLayer } from './coverage-circles.ts'
import { plannedCoverageDashesLayer } from './planned-coverage-dashes.ts'
import { stationPointsLayer } from './station-points.ts'
import { inPointOrder } from './station-style.ts'

export interface StationLayersState {
  /** stations to draw, filtered and in circle order (inCircleOrder); the same array while unchanged */
  stations: StationFeature[]
  selectedId: string | null
}

export function stationLayers({ stations, selectedId }: StationLayersState) {
  return [
    coverageCirclesLayer(stations, { selectedId }),
    plannedCoverageDashesLayer(stations),
    stationPointsLayer(inPointOrder(stations), { selectedId }),
  ]
}
