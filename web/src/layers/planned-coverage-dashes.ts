/**
 * Dashed rings for planned stations' coverage. ScatterplotLayer cannot dash its outline and the
 * dash extension is a further package, so each ring is cut into short arcs drawn as paths.
 */
import { PathLayer } from '@deck.gl/layers'
import type { StationFeature } from '../types.ts'
import { kindColor } from './station-style.ts'

const METRES_PER_DEGREE = 111_320
const DASHES = 40
const STEPS_PER_DASH = 3

export interface Dash {
  station: StationFeature
  path: [number, number][]
}

/**
 * Arcs of a circle of `radius_m` around [lon, lat]. Local equirectangular offsets: the same
 * approximation deck.gl makes for a metre radius at the circle's centre, so ring and fill agree.
 */
export function dashedRing([lon, lat]: [number, number], radius_m: number, dashes = DASHES): [number, number][][] {
  const dLat = radius_m / METRES_PER_DEGREE
  const dLon = dLat / Math.cos((lat * Math.PI) / 180)
  const arcs: [number, number][][] = []
  const step = (2 * Math.PI) / (dashes * 2)
  for (let i = 0; i < dashes; i++) {
    const arc: [number, number][] = []
    for (let k = 0; k <= STEPS_PER_DASH; k++) {
      const a = (2 * i + k / STEPS_PER_DASH) * step
      arc.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)])
    }
    arcs.push(arc)
  }
  return arcs
}

const cache = new WeakMap<StationFeature[], Dash[]>()

/** Dashes for the planned stations in `stations`, computed once per data array. */
export function plannedDashes(stations: StationFeature[]): Dash[] {
  let dashes = cache.get(stations)
  if (!dashes) {
    dashes = stations
      .filter((s) => s.properties.status === 'planned')
      .flatMap((station) =>
        dashedRing(station.geometry.coordinates as [number, number], station.properties.coverage_radius_m).map((path) => ({ station, path })),
      )
    cache.set(stations, dashes)
  }
  return dashes
}

export function plannedCoverageDashesLayer(stations: StationFeature[]) {
  return new PathLayer<Dash>({
    id: 'station-coverage-planned',
    data: plannedDashes(stations),
    getPath: (d) => d.path,
    widthUnits: 'pixels',
    getWidth: 1.6,
    getColor: (d) => kindColor(d.station.properties.kind, 210),
    capRounded: true,
  })
}
