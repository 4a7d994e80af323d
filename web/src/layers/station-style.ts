/** Colours and draw order shared by the station layers and the legend. */
import { KIND_INFO, STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import type { StationFeature } from '../types.ts'

export type RGBA = [number, number, number, number]

export function kindColor(kind: StationKind, alpha = 255): RGBA {
  const [r, g, b] = KIND_INFO[kind]?.color ?? [120, 120, 120]
  return [r, g, b, alpha]
}

export const RETIRED_COLOR: RGBA = [150, 150, 150, 255]

/** Big-radius kinds first, so small circles are not buried under big ones. */
const CIRCLE_RANK: Record<StationKind, number> = { service_centre: 0, rider_rest: 1, red_sail: 2, worksite: 3 }

/** Coverage draw order: biggest default radius at the bottom. */
export function inCircleOrder(stations: readonly StationFeature[]): StationFeature[] {
  return [...stations].sort((a, b) => (CIRCLE_RANK[a.properties.kind] ?? 9) - (CIRCLE_RANK[b.properties.kind] ?? 9))
}

const pointCache = new WeakMap<StationFeature[], StationFeature[]>()

/** Symbol draw order: the reverse, so the few service centres stay on top of the many others. */
export function inPointOrder(circleOrdered: StationFeature[]): StationFeature[] {
  let points = pointCache.get(circleOrdered)
  if (!points) pointCache.set(circleOrdered, (points = [...circleOrdered].reverse()))
  return points
}

export { STATION_KINDS }
