import { roadEdgeColumns, type RoadEdgeColumns } from './road-edge-columns.ts'
import type { RoadEdge } from './road-types.ts'

/**
 * The road graph of a county as one compact binary (GET /api/roads/graph), for a page that routes
 * offline with the same core (buildRoadGraph + networkDijkstra). Little-endian:
 *   "SARG", u32 format version (1), u32 header bytes h, h bytes of JSON header (`{nodes, edges,
 *   classes}`, space-padded to a multiple of 4), then Int32 lon[n], Int32 lat[n] (units of 1e-7°,
 *   ≈ 1 cm), Int32 source[m], Int32 target[m], Float32 length_m[m], Uint8 class[m] (index into
 *   `classes`), Uint8 flags[m] (1 foot, 2 e-bike forward, 4 e-bike backward).
 * 8 bytes a node and 14 an edge; a town of 10^4 edges is ≈ 0.2 MB.
 */
export interface RoadGraphData {
  lon: Float64Array
  lat: Float64Array
  edges: RoadEdge[]
}

const MAGIC = 0x47524153 // "SARG" read little-endian
const FORMAT = 1
const E7 = 1e7

/**
 * Encodes nodes (WGS-84 lon/lat) and edges (indexes into them) as described above.
 * @example decodeRoadGraph(encodeRoadGraph(lon, lat, edges)).edges.length === edges.length
 */
export function encodeRoadGraph(lon: ArrayLike<number>, lat: ArrayLike<number>, edges: readonly RoadEdge[]): Uint8Array {
  const steps = encodeRoadGraphInSlices(lon, lat, roadEdgeColumns(edges), Infinity)
  for (;;) {
    const r = steps.next()
    if (r.done) return r.value
  }
}

/**
 * encodeRoadGraph over edge columns, yielding after every `slice` nodes or edges, for a server's
 * request thread (a county's 200k edges held it for 0.2–0.45 s in one go).
 */
export function* encodeRoadGraphInSlices(lon: ArrayLike<number>, lat: ArrayLike<number>, edges: RoadEdgeColumns, slice = 4096): Generator<void, Uint8Array, void> {
  const n = lon.length
  const m = edges.source.length
  if (lat.length !== n) throw new RangeError(`lon has ${n} entries but lat has ${lat.length}`)
  const json = new TextEncoder().encode(JSON.stringify({ nodes: n, edges: m, classes: edges.classes }))
  // JSON may end in spaces: pad so the Int32 arrays after it start 4-byte aligned
  const headerBytes = new Uint8Array(Math.ceil(json.length / 4) * 4).fill(0x20)
  headerBytes.set(json)
  const total = 12 + headerBytes.length + 8 * n + 14 * m
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint32(0, MAGIC, true)
  view.setUint32(4, FORMAT, true)
  view.setUint32(8, headerBytes.length, true)
  out.set(headerBytes, 12)
  let p = 12 + headerBytes.length
  for (const coord of [lon, lat]) {
    for (let i = 0; i < n; i++, p += 4) {
      view.setInt32(p, Math.round(coord[i]! * E7), true)
      if ((i + 1) % slice === 0) yield
    }
  }
  for (const column of [edges.source, edges.target]) {
    for (let e = 0; e < m; e++, p += 4) {
      view.setInt32(p, column[e]!, true)
      if ((e + 1) % slice === 0) yield
    }
  }
  for (let e = 0; e < m; e++, p += 4) {
    view.setFloat32(p, edges.length_m[e]!, true)
    if ((e + 1) % slice === 0) yield
  }
  out.set(edges.classIndex, p)
  out.set(edges.flags, p + m)
  return out
}

/** Reads what encodeRoadGraph wrote; throws saying what is wrong with a file that is not one. */
export function decodeRoadGraph(bytes: Uint8Array): RoadGraphData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.byteLength < 12 || view.getUint32(0, true) !== MAGIC) throw new Error('not a road graph (GET /api/roads/graph): the magic bytes are missing')
  const version = view.getUint32(4, true)
  if (version !== FORMAT) throw new Error(`road graph format ${version} is not supported (expected ${FORMAT}); reload the page`)
  const h = view.getUint32(8, true)
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + h))) as { nodes: number; edges: number; classes: string[] }
  const { nodes: n, edges: m, classes } = header
  if (bytes.byteLength !== 12 + h + 8 * n + 14 * m) throw new Error(`road graph is ${bytes.byteLength} bytes, expected ${12 + h + 8 * n + 14 * m}: truncated?`)
  let p = 12 + h
  const lon = new Float64Array(n)
  const lat = new Float64Array(n)
  for (let i = 0; i < n; i++, p += 4) lon[i] = view.getInt32(p, true) / E7
  for (let i = 0; i < n; i++, p += 4) lat[i] = view.getInt32(p, true) / E7
  const src = p
  const tgt = src + 4 * m
  const len = tgt + 4 * m
  const cls = len + 4 * m
  const flg = cls + m
  const edges = new Array<RoadEdge>(m)
  for (let e = 0; e < m; e++) {
    const f = bytes[flg + e]!
    edges[e] = {
      source: view.getInt32(src + 4 * e, true),
      target: view.getInt32(tgt + 4 * e, true),
      length_m: view.getFloat32(len + 4 * e, true),
      class: classes[bytes[cls + e]!]!,
      foot: (f & 1) !== 0,
      ebike_forward: (f & 2) !== 0,
      ebike_backward: (f & 4) !== 0,
    }
  }
  return { lon, lat, edges }
}
