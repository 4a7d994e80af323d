import concaveman from 'concaveman'
import type { Polygon } from 'geojson'
import { EARTH_RADIUS_M, greatCircleDistance } from './great-circle-distance.ts'
import { networkDijkstra } from './network-dijkstra.ts'
import { MAX_SNAP_M, snapToRoad } from './network-snap.ts'
import { ACCESS_SPEED_KMH } from './road-speeds.ts'
import type { RoadGraph, TravelMode } from './road-types.ts'

export interface IsochroneOptions {
  mode: TravelMode
  /** time limit in minutes (> 0) */
  minutes: number
  /** farthest the origin may be from its road node, metres (default 300) */
  maxSnapM?: number
  /** spacing of the points sampled along reached roads, metres (default 25) */
  sampleM?: number
}

export interface Isochrone {
  /** the outline of the roads reached, as a GeoJSON Polygon (WGS-84) */
  geometry: Polygon
  /** road nodes reached within the limit */
  reached_nodes: number
  /** metres from the origin to its road node */
  snap_m: number
}

const DEG = 180 / Math.PI

/**
 * The area reachable from `origin` within `minutes`: a Dijkstra search bounded by the limit (the walk
 * to the road node counted), points sampled every `sampleM` metres along every road reached (the
 * last road of each path only as far as the remaining time goes), and their concave hull
 * (concaveman, concavity 2) in a local equirectangular frame. The outline hugs the reached
 * streets, so a river without a bridge in reach bounds it; blocks enclosed by reached streets are
 * inside. Null when the origin is more than `maxSnapM` from any road the mode may use.
 * @example networkIsochrone(graph, { lon: 116.31, lat: 35.07 }, { mode: 'foot', minutes: 10 })?.geometry.type // 'Polygon'
 */
export function networkIsochrone(graph: RoadGraph, origin: { lon: number; lat: number }, options: IsochroneOptions): Isochrone | null {
  const { mode, minutes } = options
  if (!(minutes > 0)) throw new RangeError(`minutes must be > 0, got ${minutes}`)
  const sampleM = options.sampleM ?? 25
  if (!(sampleM > 0)) throw new RangeError(`sampleM must be > 0 metres, got ${sampleM}`)
  const snap = snapToRoad(graph, mode, [origin], { maxM: options.maxSnapM ?? MAX_SNAP_M })
  const start = snap.node[0]!
  if (start < 0) return null
  const limitS = minutes * 60
  const startS = snap.distanceM[0]! / (ACCESS_SPEED_KMH / 3.6)
  const reached = networkDijkstra(graph, mode, [{ node: start, seconds: startS, site: 0 }], { cutoffS: limitS })
  const { offsets, targets, seconds } = graph.modes[mode]
  const points: [number, number][] = [[origin.lon, origin.lat]]
  for (let k = 0; k < reached.nodes.length; k++) {
    const u = reached.nodes[k]!
    const left = limitS - reached.seconds[k]!
    points.push([graph.lon[u]!, graph.lat[u]!])
    for (let p = offsets[u]!; p < offsets[u + 1]!; p++) {
      const v = targets[p]!
      // how far along u → v the remaining time goes (whole arcs are sampled from both ends alike)
      const t = Math.min(1, left / seconds[p]!)
      const a: [number, number] = [graph.lon[u]!, graph.lat[u]!]
      const b: [number, number] = [a[0] + (graph.lon[v]! - a[0]) * t, a[1] + (graph.lat[v]! - a[1]) * t]
      const steps = Math.ceil(greatCircleDistance(a, b) / sampleM)
      for (let s = 1; s <= steps; s++) points.push([a[0] + ((b[0] - a[0]) * s) / steps, a[1] + ((b[1] - a[1]) * s) / steps])
    }
  }
  // concaveman works in the plane: stretch longitude by cos(latitude) so a metre is a metre both ways
  const k = Math.cos(origin.lat / DEG)
  const planar = points.map(([x, y]) => [x * k, y])
  const unique = new Set(planar.map((p) => `${p[0]},${p[1]}`))
  const ring =
    unique.size >= 3 && !collinear(planar)
      ? concaveman(planar, 2, (sampleM * 2 * DEG) / EARTH_RADIUS_M).map(([x, y]) => [x! / k, y!] as [number, number])
      : octagon(points, Math.max(sampleM / 2, 5))
  return { geometry: { type: 'Polygon', coordinates: [closeRing(counterClockwise(ring))] }, reached_nodes: reached.nodes.length, snap_m: snap.distanceM[0]! }
}

/** True when every point lies on one line (a hull of them would have no area). */
function collinear(pts: number[][]): boolean {
  const [x0, y0] = pts[0]!
  let far = pts[0]!
  for (const p of pts) if (Math.hypot(p[0]! - x0!, p[1]! - y0!) > Math.hypot(far[0]! - x0!, far[1]! - y0!)) far = p
  const scale = Math.hypot(far[0]! - x0!, far[1]! - y0!)
  if (scale === 0) return true
  return pts.every((p) => Math.abs((far[0]! - x0!) * (p[1]! - y0!) - (far[1]! - y0!) * (p[0]! - x0!)) / scale < 1e-9)
}

/** An octagon of `radiusM` around the points' extent: the outline when too few points span an area. */
function octagon(points: [number, number][], radiusM: number): [number, number][] {
  const lon = points.reduce((s, p) => s + p[0], 0) / points.length
  const lat = points.reduce((s, p) => s + p[1], 0) / points.length
  const extent = Math.max(...points.map((p) => greatCircleDistance([lon, lat], p)))
  const r = ((radiusM + extent) / EARTH_RADIUS_M) * DEG
  return Array.from({ length: 8 }, (_, i) => {
    const a = (i * Math.PI) / 4
    return [lon + (r * Math.cos(a)) / Math.cos(lat / DEG), lat + r * Math.sin(a)] as [number, number]
  })
}

/** RFC 7946 §3.1.6: exterior rings are counter-clockwise. */
function counterClockwise(ring: [number, number][]): [number, number][] {
  let area = 0
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = ring[i]!
    const [x2, y2] = ring[(i + 1) % ring.length]!
    area += x1 * y2 - x2 * y1
  }
  return area < 0 ? [...ring].reverse() : ring
}

function closeRing(ring: [number, number][]): [number, number][] {
  const [first, last] = [ring[0]!, ring.at(-1)!]
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first]
}
