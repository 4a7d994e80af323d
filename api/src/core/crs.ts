import gcoord from 'gcoord'

/**
 * The coordinate systems met in China: WGS-84 (GPS, browsers, Tianditu/CGCS2000 to within
 * centimetres), GCJ-02 (Amap, Tencent; the state-mandated offset) and BD-09 (Baidu, a further
 * offset on top of GCJ-02). Everything stored in this project is WGS-84.
 */
export type Crs = 'WGS84' | 'GCJ02' | 'BD09'

/** [longitude, latitude] in degrees, longitude first (GeoJSON order). */
export type LonLat = readonly [number, number]

const GCOORD_CRS = { WGS84: gcoord.WGS84, GCJ02: gcoord.GCJ02, BD09: gcoord.BD09 } as const

function convert(lonlat: LonLat, from: Crs, to: Crs): [number, number] {
  const [lon, lat] = lonlat
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    throw new RangeError(`crs: expected finite [lon, lat] in degrees, got [${lon}, ${lat}]`)
  }
  if (!(from in GCOORD_CRS) || !(to in GCOORD_CRS)) {
    throw new RangeError(`crs: unknown coordinate system "${from in GCOORD_CRS ? to : from}"; use WGS84, GCJ02 or BD09`)
  }
  if (from === to) return [lon, lat]
  // gcoord leaves points outside its rough China bbox unchanged: the offset only exists inside China.
  const [x, y] = gcoord.transform([lon, lat], GCOORD_CRS[from], GCOORD_CRS[to])
  return [x, y]
}

/**
 * Convert a point from `from` to WGS-84. GCJ-02 → WGS-84 is iterative in gcoord (well under 1 m).
 * @param lonlat [longitude, latitude] in degrees in the `from` system
 * @param from the system the point is given in
 * @returns [longitude, latitude] in WGS-84 degrees
 * @example toWgs84([116.404, 39.915], 'GCJ02') // ≈ [116.397756, 39.913596]
 */
export function toWgs84(lonlat: LonLat, from: Crs): [number, number] {
  return convert(lonlat, from, 'WGS84')
}

/**
 * Convert a WGS-84 point to `to`, e.g. GCJ-02 for an Amap link or BD-09 for a Baidu link.
 * @param lonlat [longitude, latitude] in WGS-84 degrees
 * @param to the target system
 * @returns [longitude, latitude] in degrees in the `to` system
 * @example fromWgs84([116.404, 39.915], 'GCJ02') // ≈ [116.410244, 39.916404]
 */
export function fromWgs84(lonlat: LonLat, to: Crs): [number, number] {
  return convert(lonlat, 'WGS84', to)
}
