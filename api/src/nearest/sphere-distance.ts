/** PostGIS's sphere for geography with use_spheroid = false: the WGS-84 mean radius (2a + b) / 3. */
export const POSTGIS_SPHERE_RADIUS_M = (2 * 6378137 + 6356752.314245179) / 3

/** degrees → radians as PostGIS's deg2rad does (M_PI * x / 180), for the same last bits */
const rad = (deg: number) => (Math.PI * deg) / 180

/**
 * Great-circle distance in metres from `a` to `b`, computed as PostGIS's `ST_Distance(geography, geography, false)`
 * does (lwgeodetic.c sphere_distance: the atan2 form of Vincenty's formula on a sphere), so the
 * in-memory nearest index orders stations as the KNN route does, to the last few bits.
 * @example sphereDistance([116.31, 35.07], [116.32, 35.07]) // ≈ 910.9
 */
export function sphereDistance(a: readonly [number, number], b: readonly [number, number]): number {
  const latS = rad(a[1])
  const latE = rad(b[1])
  const dLon = rad(b[0]) - rad(a[0])
  const cosDLon = Math.cos(dLon)
  const cosLatE = Math.cos(latE)
  const sinLatE = Math.sin(latE)
  const cosLatS = Math.cos(latS)
  const sinLatS = Math.sin(latS)
  const a1 = (cosLatE * Math.sin(dLon)) ** 2
  const a2 = (cosLatS * sinLatE - sinLatS * cosLatE * cosDLon) ** 2
  return Math.atan2(Math.sqrt(a1 + a2), sinLatS * sinLatE + cosLatS * cosLatE * cosDLon) * POSTGIS_SPHERE_RADIUS_M
}
