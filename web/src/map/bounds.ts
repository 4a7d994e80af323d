/** Bounding boxes of GeoJSON features, for fitting the view. */
import type { Feature, Geometry, Position } from 'geojson'

/** [west, south, east, north] in degrees */
export type BBox = [number, number, number, number]

function eachPosition(g: Geometry, fn: (p: Position) => void): void {
  switch (g.type) {
    case 'Point': fn(g.coordinates); break
    case 'MultiPoint': case 'LineString': g.coordinates.forEach(fn); break
    case 'MultiLineString': case 'Polygon': g.coordinates.forEach((r) => r.forEach(fn)); break
    case 'MultiPolygon': g.coordinates.forEach((p) => p.forEach((r) => r.forEach(fn))); break
    case 'GeometryCollection': g.geometries.forEach((c) => eachPosition(c, fn)); break
  }
}

/** Bounds of all features (a feature's RFC 7946 `bbox` when it has one), or null when there is nothing to bound. */
export function featuresBBox(features: readonly Feature<Geometry | null>[]): BBox | null {
  let w = Infinity, s = Infinity, e = -Infinity, n = -Infinity
  for (const f of features) {
    if (f.bbox && f.bbox.length === 4) {
      const [bw, bs, be, bn] = f.bbox
      if (bw < w) w = bw
      if (bs < s) s = bs
      if (be > e) e = be
      if (bn > n) n = bn
      continue
    }
    if (!f.geometry) continue
    eachPosition(f.geometry, ([x, y]) => {
      if (x === undefined || y === undefined) return
      if (x < w) w = x
      if (x > e) e = x
      if (y < s) s = y
      if (y > n) n = y
    })
  }
  return w <= e && s <= n ? [w, s, e, n] : null
}
