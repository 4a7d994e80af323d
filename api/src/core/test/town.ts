/**
 * The fixture town (api/test/fixtures/roads/town.osm) for the road tests, and a plain O(V²) Dijkstra
 * over the imported edge list as the independent oracle. Test support only.
 */
import { fileURLToPath } from 'node:url'
import { readRoadNetwork } from '../../../../scripts/load-roads.ts'
import { greatCircleDistance } from '../great-circle-distance.ts'
import { buildRoadGraph } from '../network-graph.ts'
import type { RoadNetwork } from '../road-network-from-osm.ts'
import { roadSpeed } from '../road-speeds.ts'
import type { RoadEdge, TravelMode } from '../road-types.ts'

export const TOWN_OSM = fileURLToPath(new URL('../../../test/fixtures/roads/town.osm', import.meta.url))

/** WGS-84 position of grid node (x, y) of the town. */
export const at = (x: number, y: number): [number, number] => [116.3 + 0.005 * x, 35.05 + 0.004 * y]
/** great-circle metres between grid nodes */
export const metres = (a: [number, number], b: [number, number]) => greatCircleDistance(at(...a), at(...b))
/** e-bike and foot speeds in metres per second, for hand-checked times */
export const MPS = { residential: 18 / 3.6, primary: 25 / 3.6, foot: 4.8 / 3.6 }

export async function loadTown() {
  const network = await readRoadNetwork(TOWN_OSM)
  const graph = buildRoadGraph(network.lon, network.lat, network.edges)
  /** graph index of grid node (x, y) (OSM id 100 + 10 y + x) */
  const node = (x: number, y: number) => {
    const i = network.osmIds.indexOf(100 + 10 * y + x)
    if (i < 0) throw new Error(`grid node (${x}, ${y}) is not in the graph`)
    return i
  }
  return { network, graph, node }
}

/** The town without one named way (e.g. the bridge), as a graph. */
export function withoutWay(network: RoadNetwork, name: string) {
  return buildRoadGraph(network.lon, network.lat, network.edges.filter((e) => e.name !== name))
}

/**
 * Textbook Dijkstra, O(V²), no heap, straight from the edge list: seconds from the nearest source
 * (with its start seconds) to every node; Infinity where unreachable.
 */
export function oracleSeconds(nodeCount: number, edges: readonly RoadEdge[], mode: TravelMode, sources: { node: number; seconds: number }[]): Float64Array {
  const arcs: { to: number; s: number }[][] = Array.from({ length: nodeCount }, () => [])
  for (const e of edges) {
    const kmh = roadSpeed(e.class, mode)
    if (kmh === null) continue
    const s = e.length_m / (kmh / 3.6)
    const fwd = mode === 'foot' ? e.foot : e.ebike_forward
    const back = mode === 'foot' ? e.foot : e.ebike_backward
    if (fwd) arcs[e.source]!.push({ to: e.target, s })
    if (back) arcs[e.target]!.push({ to: e.source, s })
  }
  const dist = new Float64Array(nodeCount).fill(Infinity)
  const done = new Uint8Array(nodeCount)
  for (const src of sources) dist[src.node] = Math.min(dist[src.node]!, src.seconds)
  for (;;) {
    let u = -1
    for (let i = 0; i < nodeCount; i++) if (!done[i] && dist[i]! < Infinity && (u < 0 || dist[i]! < dist[u]!)) u = i
    if (u < 0) break
    done[u] = 1
    for (const a of arcs[u]!) if (dist[u]! + a.s < dist[a.to]!) dist[a.to] = dist[u]! + a.s
  }
  return dist
}

/** Nearest node index by brute force among nodes with an arc of the mode (-1 beyond maxM). */
export function oracleSnap(lon: Float64Array, lat: Float64Array, usable: Uint8Array, p: { lon: number; lat: number }, maxM = 300) {
  let best = -1
  let bestD = Infinity
  for (let i = 0; i < lon.length; i++) {
    if (!usable[i]) continue
    const d = greatCircleDistance([p.lon, p.lat], [lon[i]!, lat[i]!])
    if (d < bestD) [best, bestD] = [i, d]
  }
  return bestD <= maxM ? { node: best, m: bestD } : { node: -1, m: Infinity }
}
