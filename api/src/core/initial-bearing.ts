const RAD = Math.PI / 180

/**
 * Initial bearing of the great circle from `from` to `to` (WGS-84 lon/lat), in degrees
 * clockwise from true north, 0 ≤ bearing < 360. Used to tell a rider "820 m to the north-east".
 * @example initialBearing([116.3, 35.0], [116.3, 35.1]) // 0 (due north)
 */
export function initialBearing(from: readonly [number, number], to: readonly [number, number]): number {
  const φ1 = from[1] * RAD
  const φ2 = to[1] * RAD
  const Δλ = (to[0] - from[0]) * RAD
  const y = Math.sin(Δλ) * Math.cos(φ2)
  const x = Math.cos(φ1) * Math.sin(φ2) - Math.sin(φ1) * Math.cos(φ2) * Math.cos(Δλ)
  return ((Math.atan2(y, x) / RAD) % 360 + 360) % 360
}
