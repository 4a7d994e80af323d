import type { CoverageSets } from './coverage-sets.ts'
import type { DemandItem } from './demand-item.ts'
import { networkDijkstra } from './network-dijkstra.ts'
import { MAX_SNAP_M, snapToRoad } from './network-snap.ts'
import { ACCESS_SPEED_KMH } from './road-speeds.ts'
import type { RoadGraph, TravelMode } from './road-types.ts'

export interface NetworkSetsOptions {
  mode: TravelMode
  /** time limit in minutes (> 0) */
  minutes: number
  /** farthest a demand item or a candidate may be from its road node, metres (default 300) */
  maxSnapM?: number
}

/**
 * The candidate → covered-items table of buildCoverageSets, by travel time on the road network:
 * candidate j covers item i when the walk to j's road node, the fastest road path and the walk from
 * i's road node to i take at most `minutes` (as computeNetworkCoverage counts it). Items without
 * road access and items `alreadyCovered` marks get weight 0; a candidate without road access covers
 * nothing. The siting solver (maximalCovering, fewestSites) works on it unchanged, so its
 * Lagrangian bound holds for the network metric too.
 * @example maximalCovering(buildNetworkCoverageSets(cells, graph, cells, { mode: 'ebike', minutes: 5 }), 5)
 */
export function buildNetworkCoverageSets(
  demand: readonly DemandItem[],
  graph: RoadGraph,
  candidates: ReadonlyArray<{ lon: number; lat: number }>,
  options: NetworkSetsOptions,
  alreadyCovered?: Uint8Array,
): CoverageSets {
  const { mode, minutes } = options
  if (!(minutes > 0)) throw new RangeError(`minutes must be > 0, got ${minutes}`)
  const limitS = minutes * 60
  const walk = ACCESS_SPEED_KMH / 3.6
  const maxM = options.maxSnapM ?? MAX_SNAP_M
  const snap = snapToRoad(graph, mode, demand, { maxM })
  const weights = new Float64Array(demand.length)
  // items by road node (compressed rows), with each item's walk from the node in seconds
  const start = new Int32Array(graph.nodeCount + 1)
  for (let i = 0; i < demand.length; i++) {
    weights[i] = alreadyCovered?.[i] || snap.node[i]! < 0 ? 0 : Math.max(0, demand[i]!.weight)
    if (weights[i]! > 0) start[snap.node[i]! + 1]!++
  }
  for (let v = 0; v < graph.nodeCount; v++) start[v + 1]! += start[v]!
  const atNode = new Int32Array(start[graph.nodeCount]!)
  const fill = start.slice(0, graph.nodeCount)
  for (let i = 0; i < demand.length; i++) if (weights[i]! > 0) atNode[fill[snap.node[i]!]!++] = i
  const accessS = Float64Array.from(snap.distanceM, (d) => d / walk)

  const candSnap = snapToRoad(graph, mode, candidates, { maxM })
  const offsets = new Int32Array(candidates.length + 1)
  const rows: Int32Array[] = []
  let size = 0
  for (let j = 0; j < candidates.length; j++) {
    const row: number[] = []
    const c = candSnap.node[j]!
    if (c >= 0) {
      const reached = networkDijkstra(graph, mode, [{ node: c, seconds: candSnap.distanceM[j]! / walk, site: j }], { cutoffS: limitS })
      for (let k = 0; k < reached.nodes.length; k++) {
        const v = reached.nodes[k]!
        const s = reached.seconds[k]!
        for (let p = start[v]!; p < start[v + 1]!; p++) {
          const i = atNode[p]!
          if (s + accessS[i]! <= limitS) row.push(i)
        }
      }
    }
    row.sort((a, b) => a - b)
    rows.push(Int32Array.from(row))
    size += row.length
    offsets[j + 1] = size
  }
  const items = new Int32Array(size)
  for (let j = 0; j < rows.length; j++) items.set(rows[j]!, offsets[j]!)
  return { offsets, items, weights }
}
