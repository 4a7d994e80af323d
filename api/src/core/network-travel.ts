import { networkDijkstra } from './network-dijkstra.ts'
import { MAX_SNAP_M, snapToRoad } from './network-snap.ts'
import { ACCESS_SPEED_KMH } from './road-speeds.ts'
import type { RoadGraph, TravelMode } from './road-types.ts'

export interface TravelOptions {
  mode: TravelMode
  /** farthest the origin or a target may be from its road node, metres (default 300) */
  maxSnapM?: number
  /** stop searching beyond this many seconds (default: the whole graph) */
  cutoffS?: number
}

/** Per target: seconds and metres from the origin by road (Infinity: no road access, or not reachable). */
export interface TravelTimes {
  seconds: Float64Array
  metres: Float64Array
}

/**
 * Travel from one origin (a rider) to each target (stops) along the roads the mode may use, in the
 * origin → target direction (one-way streets bind e-bikes): the walk from the origin to its road
 * node, the fastest road path (one Dijkstra) and the walk from the target's road node to it, walks
 * in straight lines at ACCESS_SPEED_KMH — the same legs computeNetworkCoverage counts.
 * @example travelFrom(graph, rider, stops, { mode: 'ebike' }).seconds[0] // 372 (≈ 6 min)
 */
export function travelFrom(graph: RoadGraph, origin: { lon: number; lat: number }, targets: ReadonlyArray<{ lon: number; lat: number }>, options: TravelOptions): TravelTimes {
  const { mode } = options
  const maxM = options.maxSnapM ?? MAX_SNAP_M
  const walk = ACCESS_SPEED_KMH / 3.6
  const seconds = new Float64Array(targets.length).fill(Infinity)
  const metres = new Float64Array(targets.length).fill(Infinity)
  const from = snapToRoad(graph, mode, [origin], { maxM })
  const start = from.node[0]!
  if (start < 0 || targets.length === 0) return { seconds, metres }
  const startM = from.distanceM[0]!
  const reached = networkDijkstra(graph, mode, [{ node: start, seconds: startM / walk, site: 0 }], options.cutoffS === undefined ? {} : { cutoffS: options.cutoffS })
  const at = new Map<number, number>()
  for (let k = 0; k < reached.nodes.length; k++) at.set(reached.nodes[k]!, k)
  const to = snapToRoad(graph, mode, targets, { maxM })
  for (let i = 0; i < targets.length; i++) {
    const k = at.get(to.node[i]!)
    if (to.node[i]! < 0 || k === undefined) continue
    seconds[i] = reached.seconds[k]! + to.distanceM[i]! / walk
    metres[i] = startM + reached.metres[k]! + to.distanceM[i]!
  }
  return { seconds, metres }
}
