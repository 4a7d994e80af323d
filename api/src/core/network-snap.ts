import KDBush from 'kdbush'
import { EARTH_RADIUS_M, greatCircleDistance } from './great-circle-distance.ts'
import type { RoadGraph, TravelMode } from './road-types.ts'

/** How far from its road node a point may be and still count as reached by road, metres. */
export const MAX_SNAP_M = 300

/** Each point's road node, or -1 when none is within reach ("no road access"). */
export interface Snapped {
  node: Int32Array
  /** great-circle metres from the point to that node (Infinity when node is -1) */
  distanceM: Float64Array
}

/** Per graph and mode: a k-d tree over the nodes the mode can use, and their node numbers. */
const DEG = 180 / Math.PI

const indexes = new WeakMap<RoadGraph, Partial<Record<TravelMode, { kd: KDBush; ids: Int32Array } | null>>>()

function indexOf(graph: RoadGraph, mode: TravelMode) {
  let perMode = indexes.get(graph)
  if (!perMode) indexes.set(graph, (perMode = {}))
  if (perMode[mode] === undefined) {
    const { usable } = graph.modes[mode]
    const ids: number[] = []
    for (let i = 0; i < graph.nodeCount; i++) if (usable[i]) ids.push(i)
    if (ids.length === 0) perMode[mode] = null
    else {
      const kd = new KDBush(ids.length)
      for (const i of ids) kd.add(graph.lon[i]!, graph.lat[i]!)
      kd.finish()
      perMode[mode] = { kd, ids: Int32Array.from(ids) }
    }
  }
  return perMode[mode]!
}

/**
 * Attaches each point to its nearest road node usable by `mode`, by great-circle distance, if
 * within `maxM` metres (default 300 m); farther points get node -1: they have no road access and are
 * never reached. The point then travels to the node in a straight line (the "access leg").
 * @example snapToRoad(graph, 'foot', [{ lon: 116.31, lat: 35.07 }]).node[0] // 417, or -1
 */
export function snapToRoad(graph: RoadGraph, mode: TravelMode, points: ReadonlyArray<{ lon: number; lat: number }>, options: { maxM?: number } = {}): Snapped {
  const maxM = options.maxM ?? MAX_SNAP_M
  if (!(maxM >= 0)) throw new RangeError(`maxM must be ≥ 0 metres, got ${options.maxM}`)
  const node = new Int32Array(points.length).fill(-1)
  const distanceM = new Float64Array(points.length).fill(Infinity)
  const index = indexOf(graph, mode)
  if (!index) return { node, distanceM }
  // Growing boxes: a node found within the circle inscribed in a box is the nearest (anything
  // nearer lies in the box too), so dense town centres and sparse countryside both stay cheap.
  const radii = [25, 75, 200, maxM].filter((r, k, all) => r <= maxM && all.indexOf(r) === k)
  const { kd, ids } = index
  for (let i = 0; i < points.length; i++) {
    const { lon, lat } = points[i]!
    for (const r of radii) {
      const dLat = (r / EARTH_RADIUS_M) * DEG + 1e-9
      const dLon = dLat / Math.cos(Math.min(89.9, Math.abs(lat) + dLat) / DEG)
      let best = -1
      let bestD = Infinity
      for (const hit of kd.range(lon - dLon, lat - dLat, lon + dLon, lat + dLat)) {
        const v = ids[hit]!
        const d = greatCircleDistance([lon, lat], [graph.lon[v]!, graph.lat[v]!])
        if (d < bestD || (d === bestD && v < best)) [best, bestD] = [v, d]
      }
      if (bestD <= r) {
        node[i] = best
        distanceM[i] = bestD
        break
      }
    }
  }
  return { node, distanceM }
}
