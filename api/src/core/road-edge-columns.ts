import type { RoadEdge } from './road-types.ts'

/** Flag bits of RoadEdgeColumns.flags (the same bits GET /api/roads/graph sends). */
export const EDGE_FOOT = 1
export const EDGE_EBIKE_FORWARD = 2
export const EDGE_EBIKE_BACKWARD = 4

/**
 * Road edges column by column (typed arrays, one entry per edge): what a county's 200k edges are read
 * into from PostgreSQL instead of 200k objects, so building the graph and its download walks flat
 * memory. `classes[classIndex[e]]` is edge e's OSM `highway=*` value.
 */
export interface RoadEdgeColumns {
  source: Int32Array
  target: Int32Array
  /** metres on the sphere */
  length_m: Float64Array
  classIndex: Uint8Array
  classes: string[]
  /** EDGE_FOOT | EDGE_EBIKE_FORWARD | EDGE_EBIKE_BACKWARD */
  flags: Uint8Array
}

/**
 * The columns of `edges`, in their order.
 * @example roadEdgeColumns([{ source: 0, target: 1, length_m: 100, class: 'residential', foot: true, ebike_forward: true, ebike_backward: false }]).flags // Uint8Array [3]
 */
export function roadEdgeColumns(edges: readonly RoadEdge[]): RoadEdgeColumns {
  const m = edges.length
  const out: RoadEdgeColumns = { source: new Int32Array(m), target: new Int32Array(m), length_m: new Float64Array(m), classIndex: new Uint8Array(m), classes: [], flags: new Uint8Array(m) }
  const index = new Map<string, number>()
  for (let e = 0; e < m; e++) {
    const edge = edges[e]!
    out.source[e] = edge.source
    out.target[e] = edge.target
    out.length_m[e] = edge.length_m
    let c = index.get(edge.class)
    if (c === undefined) {
      if (out.classes.length === 256) throw new RangeError('more than 256 road classes')
      index.set(edge.class, (c = out.classes.push(edge.class) - 1))
    }
    out.classIndex[e] = c
    out.flags[e] = (edge.foot ? EDGE_FOOT : 0) | (edge.ebike_forward ? EDGE_EBIKE_FORWARD : 0) | (edge.ebike_backward ? EDGE_EBIKE_BACKWARD : 0)
  }
  return out
}
