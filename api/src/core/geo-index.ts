import KDBush from 'kdbush'
/** A static index of WGS-84 points, searched by great-circle metres. */
export interface GeoIndex {
  readonly kd: KDBush
  readonly lon: Float64Array
  readonly lat: Float64Array
  readonly size: number
}

/**
 * Indexes points for radius and nearest queries (a k-d tree, kdbush), so coverage is
 * O(n log n + matches) rather than all pairs.
 * @example const idx = buildGeoIndex(cells); pointsWithin(idx, 116.3, 35.07, 1500)
 */
export function buildGeoIndex(points: ReadonlyArray<{ lon: number; lat: number }>): GeoIndex {
  const n = points.length
  const lon = new Float64Array(n)
  const lat = new Float64Array(n)
  // kdbush refuses an empty index; one never-matched slot keeps callers free of special cases
  const kd = new KDBush(Math.max(n, 1))
  for (let i = 0; i < n; i++) {
    lon[i] = points[i]!.lon
    lat[i] = points[i]!.lat
    kd.add(lon[i]!, lat[i]!)
  }
  if (n === 0) kd.add(0, 90)
  kd.finish()
  return { kd, lon, lat, size: n }
}

// Demand stays put while stations move (what-if dragging, siting after coverage, a scenario's before
// and after): index each array once. Callers must not move items of an array they passed before.
const cached = new WeakMap<ReadonlyArray<{ lon: number; lat: number }>, GeoIndex>()

/**
 * buildGeoIndex, remembered per array: the second call with the same array returns the same index.
 * @example geoIndexOf(cells) === geoIndexOf(cells) // true
 */
export function geoIndexOf(points: ReadonlyArray<{ lon: number; lat: number }>): GeoIndex {
  let index = cached.get(points)
  if (!index) cached.set(points, (index = buildGeoIndex(points)))
  return index
}
