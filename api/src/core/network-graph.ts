import { roadEdgeColumns } from './road-edge-columns.ts'
import { buildRoadGraphInSlices } from './road-graph-in-slices.ts'
import type { RoadEdge, RoadGraph } from './road-types.ts'

/**
 * Builds the compact routing graph: for each mode, the arcs it may use in compressed rows
 * (CSR typed arrays) with travel seconds = length_m ÷ the class's speed (ROAD_SPEEDS).
 * Foot arcs go both ways; e-bike arcs follow `ebike_forward` / `ebike_backward` (one-way streets).
 * In one go; a server thread builds with buildRoadGraphInSlices instead.
 * @param lon WGS-84 longitude of node i (edges refer to nodes by index)
 * @example buildRoadGraph(lon, lat, edges).modes.ebike.offsets.length // nodeCount + 1
 */
export function buildRoadGraph(lon: ArrayLike<number>, lat: ArrayLike<number>, edges: readonly RoadEdge[]): RoadGraph {
  const steps = buildRoadGraphInSlices(lon, lat, roadEdgeColumns(edges), { slice: Infinity })
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}
