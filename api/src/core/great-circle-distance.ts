/** Mean Earth radius in metres (IUGG R1), the sphere PostGIS uses for `ST_Distance(geography, geography, false)`. */
export const EARTH_RADIUS_M = 6371008.7714

const RAD = Math.PI / 180

/**
 * Great-circle distance between two WGS-84 points on the sphere, in metres (haversine).
 * Agrees with PostGIS `ST_Distance(a::geography, b::geography, false)` to well under a millimetre.
 * @example greatCircleDistance([116.3, 39.9], [121.47, 31.23]) // ≈ 1 070 977 m
 */
export function greatCircleDistance(a: readonly [number, number], b: readonly [number, number]): number {
  const [lon1, lat1] = a
  const [lon2, lat2] = b
  const dLat = (lat2 - lat1) * RAD
  const dLon = (lon2 - lon1) * RAD
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * Math.sin(dLon / 2) ** 2
  // min() guards asin against rounding just above 1 for antipodal points
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}
