/**
 * WGS-84 bounds of Web-Mercator (XYZ) tile z/x/y, degrees [west, south, east, north], grown on each
 * side by `buffer` (a fraction of the tile's width). Mercator is separable (x from longitude only,
 * y from latitude only), so this lon/lat rectangle is exactly the tile: an ST_MakeEnvelope(…, 4326)
 * of it selects the same points the tile holds.
 * @example tileBounds(0, 0, 0) // [-180, -85.0511287798066, 180, 85.0511287798066]
 */
export function tileBounds(z: number, x: number, y: number, buffer = 0): [number, number, number, number] {
  const n = 2 ** z
  const lon = (t: number) => (t / n) * 360 - 180
  const lat = (t: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * t) / n))) * 180) / Math.PI
  return [lon(x - buffer), lat(Math.min(n, y + 1 + buffer)), lon(x + 1 + buffer), lat(Math.max(0, y - buffer))]
}
