/** Colours and draw order shared by the station layers and the legend. */
import { KIND_INFO, STATION_KINDS, type StationKind } from '@core/station-kinds.ts'

export type RGBA = [number, number, number, number]

export function kindColor(kind: StationKind, alpha = 255): RGBA {
  const [r, g, b] = KIND_INFO[kind]?.color ?? [120, 120, 120]
  return [r, g, b, alpha]
}

export const RETIRED_COLOR: RGBA = [150, 150, 150, 255]

export { STATION_KINDS }
