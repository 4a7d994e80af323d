import type { RoadGraph, TravelMode } from './road-types.ts'

/** Where a search starts: a graph node, the seconds already spent reaching it, and whose it is. */
export interface SearchSource {
  node: number
  /** seconds spent before the node (e.g. walking from the station to its road node); ≥ 0 */
  seconds: number
  /** the caller's label for the source (e.g. the station's index), reported per reached node */
  site: number
}

/** Nodes reached, in the order settled (fastest first). */
export interface SearchResult {
  nodes: Int32Array
  /** seconds from the nearest source (in time) to nodes[k] */
  seconds: Float64Array
  /** metres along that fastest path (road only, the sources' own seconds excluded) */
  metres: Float64Array
  /** `site` of that source */
  site: Int32Array
}

export interface SearchOptions {
  /** reach only nodes within this many seconds (inclusive); default: the whole graph */
  cutoffS?: number
}

/** Per-graph scratch arrays, reset after each search by the list of nodes it touched. */
interface Workspace {
  dist: Float64Array
  metres: Float64Array
  site: Int32Array
  done: Uint8Array
}
const workspaces = new WeakMap<RoadGraph, Workspace>()

/**
 * Multi-source Dijkstra over one mode's arcs: for every node within `cutoffS` seconds of any source,
 * the fastest time, the road metres of that path and which source it comes from.
 * Work is proportional to the part of the graph reached, not its size (scratch arrays are kept per
 * graph and reset by what was touched), so thousands of short searches on a county graph stay cheap.
 * @example networkDijkstra(graph, 'ebike', [{ node: 12, seconds: 0, site: 0 }], { cutoffS: 300 }).nodes.length // 842
 */
export function networkDijkstra(graph: RoadGraph, mode: TravelMode, sources: readonly SearchSource[], options: SearchOptions = {}): SearchResult {
  const cutoff = options.cutoffS ?? Infinity
  if (!(cutoff >= 0)) throw new RangeError(`cutoffS must be ≥ 0 seconds, got ${options.cutoffS}`)
  const { offsets, targets, seconds: arcS, metres: arcM } = graph.modes[mode]
  let ws = workspaces.get(graph)
  if (!ws) {
    const n = graph.nodeCount
    ws = { dist: new Float64Array(n).fill(Infinity), metres: new Float64Array(n), site: new Int32Array(n), done: new Uint8Array(n) }
    workspaces.set(graph, ws)
  }
  const { dist, metres, site, done } = ws
  const heap = new NodeHeap()
  const touched: number[] = []
  // check every source before touching the shared scratch arrays
  for (const s of sources) {
    if (!(Number.isInteger(s.node) && s.node >= 0 && s.node < graph.nodeCount)) throw new RangeError(`source node ${s.node} is outside 0…${graph.nodeCount - 1}`)
    if (!(s.seconds >= 0)) throw new RangeError(`source seconds must be ≥ 0, got ${s.seconds}`)
  }
  for (const s of sources) {
    if (s.seconds > cutoff || s.seconds >= dist[s.node]!) continue
    if (dist[s.node] === Infinity) touched.push(s.node)
    dist[s.node] = s.seconds
    metres[s.node] = 0
    site[s.node] = s.site
    heap.push(s.seconds, s.node)
  }
  const outNodes: number[] = []
  while (heap.size > 0) {
    const u = heap.popNode()
    if (done[u]) continue
    done[u] = 1
    outNodes.push(u)
    const du = dist[u]!
    for (let p = offsets[u]!; p < offsets[u + 1]!; p++) {
      const v = targets[p]!
      const dv = du + arcS[p]!
      if (dv > cutoff || dv >= dist[v]!) continue
      if (dist[v] === Infinity) touched.push(v)
      dist[v] = dv
      metres[v] = metres[u]! + arcM[p]!
      site[v] = site[u]!
      heap.push(dv, v)
    }
  }
  const k = outNodes.length
  const result: SearchResult = { nodes: Int32Array.from(outNodes), seconds: new Float64Array(k), metres: new Float64Array(k), site: new Int32Array(k) }
  for (let i = 0; i < k; i++) {
    const u = outNodes[i]!
    result.seconds[i] = dist[u]!
    result.metres[i] = metres[u]!
    result.site[i] = site[u]!
  }
  for (const u of touched) {
    dist[u] = Infinity
    done[u] = 0
  }
  return result
}

/** A binary min-heap of (seconds, node) on typed arrays; stale entries are skipped by the caller. */
class NodeHeap {
  private keys = new Float64Array(64)
  private vals = new Int32Array(64)
  size = 0

  push(key: number, val: number) {
    if (this.size === this.keys.length) {
      const keys = new Float64Array(this.size * 2)
      keys.set(this.keys)
      this.keys = keys
      const vals = new Int32Array(this.size * 2)
      vals.set(this.vals)
      this.vals = vals
    }
    const { keys, vals } = this
    let i = this.size++
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! <= key) break
      keys[i] = keys[parent]!
      vals[i] = vals[parent]!
      i = parent
    }
    keys[i] = key
    vals[i] = val
  }

  popNode(): number {
    const { keys, vals } = this
    const top = vals[0]!
    const n = --this.size
    if (n > 0) {
      const key = keys[n]!
      const val = vals[n]!
      let i = 0
      for (;;) {
        let c = 2 * i + 1
        if (c >= n) break
        if (c + 1 < n && keys[c + 1]! < keys[c]!) c++
        if (keys[c]! >= key) break
        keys[i] = keys[c]!
        vals[i] = vals[c]!
        i = c
      }
      keys[i] = key
      vals[i] = val
    }
    return top
  }
}
