import { around } from 'geokdbush'
import type { GeoIndex } from './geo-index.ts'
import { greatCircleDistance } from './great-circle-distance.ts'

/**
 * The nearest indexed point to lon/lat and its great-circle distance in metres, or null for an empty index.
 * @example nearestPoint(buildGeoIndex(stations), 116.31, 35.07) // → { id: 4, distance_m: 812.3 }
 */
export function nearestPoint(index: GeoIndex, lon: number, lat: number): { id: number; distance_m: number } | null {
  if (index.size === 0) return null
  const [id] = around(index.kd, lon, lat, 1)
  return { id: id!, distance_m: greatCircleDistance([lon, lat], [index.lon[id!]!, index.lat[id!]!]) }
}
