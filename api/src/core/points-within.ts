import { around } from 'geokdbush'
import type { GeoIndex } from './geo-index.ts'
import { EARTH_RADIUS_M, greatCircleDistance } from './great-circle-distance.ts'

/** geokdbush measures on a sphere of 6371 km; we measure on PostGIS's 6371.0087714 km one. */
const GEOKDBUSH_RADIUS_KM = 6371

/** Angle-preserving conversion of our metres into geokdbush's kilometres, plus 1 mm of slack for rounding. */
function searchKm(radiusM: number): number {
  return ((radiusM + 0.001) / EARTH_RADIUS_M) * GEOKDBUSH_RADIUS_KM
}

/**
 * Indexes of the points within `radiusM` metres (great circle, inclusive) of lon/lat —
 * the same test as PostGIS `ST_DWithin(a::geography, b::geography, radiusM, false)`.
 */
export function pointsWithin(index: GeoIndex, lon: number, lat: number, radiusM: number): number[] {
  if (index.size === 0 || !(radiusM >= 0)) return []
  const ids = around(index.kd, lon, lat, Infinity, searchKm(radiusM))
  // exact check on our sphere: the kd search is a superset by at most the slack above
  return ids.filter((i) => greatCircleDistance([lon, lat], [index.lon[i]!, index.lat[i]!]) <= radiusM)
}
