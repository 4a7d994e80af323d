import { greatCircleDistance } from './great-circle-distance.ts'
import { initialBearing } from './initial-bearing.ts'
import { isOpenAt } from './is-open-at.ts'
import type { Amenity, StationKind, StationStatus } from './station-kinds.ts'

/** The fields ranking needs; API station features have them all. */
export interface RankableStation {
  id?: string | number
  geometry: { coordinates: readonly number[] }
  properties: { id: string; kind: StationKind; status: StationStatus; amenities: readonly Amenity[]; opening_hours: string | null }
}

export interface RankOptions {
  /** how many to return (default 5) */
  limit?: number
  kinds?: readonly StationKind[]
  /** keep stations having all of these */
  amenities?: readonly Amenity[]
  /** keep only stations open at this instant (China Standard Time); unknown hours are left out */
  openAt?: Date
  /** metres */
  maxDistance?: number
}

export type Ranked<S extends RankableStation> = S & {
  properties: S['properties'] & { distance_m: number; bearing_deg: number; open?: boolean | null }
}

/**
 * The client-side twin of `GET /api/nearest`: active stations by great-circle distance from
 * `origin`, same filters, same tie-break (id), so the rider page answers identically offline from
 * the stations it cached.
 * @param origin WGS-84 [lon, lat]
 * @param stations candidate station features (any status; only `active` ones are kept)
 * @param options limit (default 5), kinds, amenities, openAt, maxDistance (metres)
 * @returns copies of the nearest stations with `distance_m` (metres), `bearing_deg` and, with openAt, `open`
 * @example rankNearest([116.31, 35.07], stations, { limit: 5, openAt: new Date() })
 */
export function rankNearest<S extends RankableStation>(origin: readonly [number, number], stations: readonly S[], options: RankOptions = {}): Ranked<S>[] {
  const { limit = 5, kinds, amenities, openAt, maxDistance } = options
  const out: Ranked<S>[] = []
  for (const s of stations) {
    const p = s.properties
    if (p.status !== 'active') continue
    if (kinds && !kinds.includes(p.kind)) continue
    if (amenities && !amenities.every((a) => p.amenities.includes(a))) continue
    const at = [s.geometry.coordinates[0]!, s.geometry.coordinates[1]!] as const
    const distance_m = greatCircleDistance(origin, at)
    if (maxDistance !== undefined && distance_m > maxDistance) continue
    const open = openAt ? isOpenAt(p.opening_hours, openAt) : undefined
    if (openAt && open !== true) continue
    out.push({
      ...s,
      properties: { ...p, distance_m, bearing_deg: initialBearing(origin, at), ...(open !== undefined ? { open } : {}) },
    } as Ranked<S>)
  }
  // ids compare as strings, like PostgreSQL's uuid ordering (byte order = lowercase hex order)
  out.sort((a, b) => a.properties.distance_m - b.properties.distance_m || (a.properties.id < b.properties.id ? -1 : a.properties.id > b.properties.id ? 1 : 0))
  return out.slice(0, limit)
}
