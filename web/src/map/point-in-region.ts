/**
 * Is a lon/lat point inside a region's (Multi)Polygon? Even-odd ray casting over every ring, so
 * holes count as outside. Planar in lon/lat, which is exact enough for a click on a county's map.
 */
import type { MultiPolygon, Polygon, Position } from 'geojson'

function inRing(lon: number, lat: number, ring: readonly Position[]): boolean {
  let inside = false
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number]
    const [xj, yj] = ring[j] as [number, number]
    if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
  }
  return inside
}

export function pointInRegion(lon: number, lat: number, geometry: Polygon | MultiPolygon): boolean {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates
  let inside = false
  for (const rings of polygons) for (const ring of rings) if (inRing(lon, lat, ring)) inside = !inside
  return inside
}
