/**
 * The shapes of the road network the core routes over. Pure data, no I/O: `npm run load-roads`
 * builds them from an OpenStreetMap extract into PostgreSQL, `db/roads.ts` reads them back for a
 * bounding box, and the network coverage, siting and isochrone functions work on them.
 */

/** How a rider or walker travels: e-bike (电动自行车, a non-motor vehicle in China) or on foot. */
export const TRAVEL_MODES = ['ebike', 'foot'] as const
export type TravelMode = (typeof TRAVEL_MODES)[number]

/** One road segment between two graph nodes, as stored in `road_edge`. */
export interface RoadEdge {
  /** index of the node the segment starts at (in the way's direction) */
  source: number
  /** index of the node it ends at */
  target: number
  /** metres on the sphere (R = 6 371 008.8 m) */
  length_m: number
  /** OSM `highway=*` value, a key of ROAD_SPEEDS */
  class: string
  /** walkable, both directions */
  foot: boolean
  /** rideable by e-bike from source to target */
  ebike_forward: boolean
  /** rideable by e-bike from target to source */
  ebike_backward: boolean
}

/** Outgoing adjacency for one mode in compressed rows: node u's arcs are `offsets[u] .. offsets[u + 1]`. */
export interface ModeAdjacency {
  offsets: Int32Array
  /** node each arc leads to */
  targets: Int32Array
  /** travel time along the arc, seconds */
  seconds: Float64Array
  /** length of the arc, metres */
  metres: Float64Array
  /** 1 where the node has an arc in or out in this mode (demand and stations snap only to these) */
  usable: Uint8Array
}

/** A compact in-memory road graph (CSR typed arrays), one adjacency per travel mode. */
export interface RoadGraph {
  nodeCount: number
  edgeCount: number
  /** WGS-84 longitude of node i */
  lon: Float64Array
  /** WGS-84 latitude of node i */
  lat: Float64Array
  modes: Record<TravelMode, ModeAdjacency>
  /** bytes held by the typed arrays (what a page caching the graph would hold) */
  bytes: number
}
