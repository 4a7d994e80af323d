import { roadSpeed } from './road-speeds.ts'
import { TRAVEL_MODES, type ModeAdjacency, type RoadEdge, type RoadGraph, type TravelMode } from './road-types.ts'

/**
 * Builds the compact routing graph: for each mode, the arcs it may use in compressed rows
 * (CSR typed arrays) with travel seconds = length_m ÷ the class's speed (ROAD_SPEEDS).
 * Foot arcs go both ways; e-bike arcs follow `ebike_forward` / `ebike_backward` (one-way streets).
 * @param lon WGS-84 longitude of node i (edges refer to nodes by index)
 * @example buildRoadGraph(lon, lat, edges).modes.ebike.offsets.length // nodeCount + 1
 */
export function buildRoadGraph(lon: ArrayLike<number>, lat: ArrayLike<number>, edges: readonly RoadEdge[]): RoadGraph {
  const n = lon.length
  if (lat.length !== n) throw new RangeError(`lon has ${n} entries but lat has ${lat.length}`)
  for (let e = 0; e < edges.length; e++) {
    const { source, target, length_m } = edges[e]!
    if (!(source >= 0 && source < n && target >= 0 && target < n)) throw new RangeError(`edge ${e} refers to a node outside 0…${n - 1}`)
    if (!(length_m >= 0)) throw new RangeError(`edge ${e}: length_m must be ≥ 0 metres, got ${length_m}`)
  }
  const modes = {} as Record<TravelMode, ModeAdjacency>
  let bytes = n * 16
  for (const mode of TRAVEL_MODES) {
    const arcs = (e: RoadEdge): [boolean, boolean] => {
      if (roadSpeed(e.class, mode) === null) return [false, false]
      return mode === 'foot' ? [e.foot, e.foot] : [e.ebike_forward, e.ebike_backward]
    }
    const offsets = new Int32Array(n + 1)
    for (const e of edges) {
      const [fwd, back] = arcs(e)
      if (fwd) offsets[e.source + 1]!++
      if (back) offsets[e.target + 1]!++
    }
    for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!
    const m = offsets[n]!
    const targets = new Int32Array(m)
    const seconds = new Float64Array(m)
    const metres = new Float64Array(m)
    const usable = new Uint8Array(n)
    const fill = offsets.slice(0, n)
    const put = (from: number, to: number, s: number, len: number) => {
      const p = fill[from]!++
      targets[p] = to
      seconds[p] = s
      metres[p] = len
      usable[from] = usable[to] = 1
    }
    for (const e of edges) {
      const [fwd, back] = arcs(e)
      if (!fwd && !back) continue
      const s = e.length_m / (roadSpeed(e.class, mode)! / 3.6)
      if (fwd) put(e.source, e.target, s, e.length_m)
      if (back) put(e.target, e.source, s, e.length_m)
    }
    modes[mode] = { offsets, targets, seconds, metres, usable }
    bytes += offsets.byteLength + targets.byteLength + seconds.byteLength + metres.byteLength + usable.byteLength
  }
  return { nodeCount: n, edgeCount: edges.length, lon: Float64Array.from(lon), lat: Float64Array.from(lat), modes, bytes }
}
