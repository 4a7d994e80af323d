import type { GeoIndex } from './geo-index.ts'
import { EARTH_RADIUS_M, greatCircleDistance } from './great-circle-distance.ts'

const DEG = 180 / Math.PI

/**
 * Indexes of the points within `radiusM` metres (great circle, inclusive) of lon/lat — the same
 * test as PostGIS `ST_DWithin(a::geography, b::geography, radiusM, false)`.
 * A lon/lat box that holds the whole circle goes to the k-d tree, then each hit is checked exactly;
 * unlike a nearest-first search nothing is sorted, which is what marking coverage needs.
 * @example pointsWithin(buildGeoIndex(cells), 116.31, 35.07, 1500) // → [3, 17, …]
 */
export function pointsWithin(index: GeoIndex, lon: number, lat: number, radiusM: number): number[] {
  if (index.size === 0 || !(radiusM >= 0)) return []
  const dLat = (radiusM / EARTH_RADIUS_M) * DEG
  // the circle is widest in longitude at its pole-ward edge; beyond a pole, take every longitude
  const edge = Math.min(90, Math.abs(lat) + dLat)
  const dLon = edge >= 90 ? 360 : Math.min(360, dLat / Math.cos(edge / DEG) + 1e-9)
  const ids = index.kd.range(lon - dLon, lat - dLat - 1e-9, lon + dLon, lat + dLat + 1e-9)
  // China never straddles the antimeridian; elsewhere a box past ±180 would also need the wrapped half
  if (lon - dLon < -180) ids.push(...index.kd.range(lon - dLon + 360, lat - dLat, 180, lat + dLat))
  if (lon + dLon > 180) ids.push(...index.kd.range(-180, lat - dLat, lon + dLon - 360, lat + dLat))
  return ids.filter((i) => i < index.size && greatCircleDistance([lon, lat], [index.lon[i]!, index.lat[i]!]) <= radiusM)
}
