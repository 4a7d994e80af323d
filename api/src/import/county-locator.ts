/**
 * Which county a point lies in, for clipping imported demand in the worker: many points share a
 * latitude (a raster's row), so each county's boundary crossings with that latitude are found once
 * (O(vertices)) and every point on the line is then a binary search (even–odd rule, which is the
 * point-in-polygon test for valid polygons with holes and non-overlapping parts).
 */

export interface CountyShape {
  code: string
  /** GeoJSON Polygon or MultiPolygon coordinates, WGS-84 */
  geometry: { type: 'Polygon'; coordinates: number[][][] } | { type: 'MultiPolygon'; coordinates: number[][][][] }
}

interface Prepared {
  code: string
  rings: number[][][]
  box: [number, number, number, number]
}

export class CountyLocator {
  private readonly counties: Prepared[]
  private lineLat = Number.NaN
  private line: { code: string; xs: Float64Array }[] = []

  constructor(shapes: CountyShape[]) {
    this.counties = shapes.map((s) => {
      const rings = s.geometry.type === 'Polygon' ? s.geometry.coordinates : s.geometry.coordinates.flat()
      let [w, so, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
      for (const r of rings) for (const [x, y] of r) {
        if (x! < w) w = x!
        if (x! > e) e = x!
        if (y! < so) so = y!
        if (y! > n) n = y!
      }
      return { code: s.code, rings, box: [w, so, e, n] }
    })
  }

  /** The boundary crossings of every county the latitude passes through, sorted by longitude. */
  private crossings(lat: number) {
    if (lat === this.lineLat) return this.line
    this.lineLat = lat
    this.line = []
    for (const c of this.counties) {
      if (lat < c.box[1] || lat > c.box[3]) continue
      const xs: number[] = []
      for (const r of c.rings) {
        for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
          const [xi, yi] = r[i]!, [xj, yj] = r[j]!
          if ((yi! > lat) !== (yj! > lat)) xs.push(xi! + ((lat - yi!) * (xj! - xi!)) / (yj! - yi!))
        }
      }
      if (xs.length) this.line.push({ code: c.code, xs: Float64Array.from(xs).sort() })
    }
    return this.line
  }

  /** The county containing the point, or null outside every county. */
  countyAt(lon: number, lat: number): string | null {
    for (const { code, xs } of this.crossings(lat)) {
      if (lon < xs[0]! || lon > xs[xs.length - 1]!) continue
      let lo = 0, hi = xs.length
      while (lo < hi) {
        const mid = (lo + hi) >> 1
        if (xs[mid]! < lon) lo = mid + 1
        else hi = mid
      }
      if (lo % 2 === 1) return code // an odd number of crossings to the west: inside
    }
    return null
  }
}
