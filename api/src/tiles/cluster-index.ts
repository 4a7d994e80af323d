import KDBush from 'kdbush'
import Supercluster, { type Options, type PointFeature } from 'supercluster'
import { STATION_KINDS } from '../core/station-kinds.ts'

/** Clusters exist up to this zoom; from CLUSTER_MAX_ZOOM + 1 on every station is its own feature. */
export const CLUSTER_MAX_ZOOM = 14
/** MVT extent of every tile we serve (MapLibre's own GeoJSON tiles use 8192; 4096 is ⅛ px on a 512 px tile). */
export const TILE_EXTENT = 4096
/** cluster radius in pixels of a 512 px tile (MapLibre's clusterRadius default is 50) */
export const CLUSTER_RADIUS_PX = 50

/** The stations one index clusters, column by column: what a worker thread gets, moved, not copied. */
export interface ClusterPoints {
  /** how many of the arrays' leading entries are points (the buffers may be longer) */
  n: number
  lon: Float64Array
  lat: Float64Array
  /** index into STATION_KINDS */
  kind: Uint8Array
  /** the point's row in the station projection, handed back on unclustered points */
  row: Int32Array
}

/**
 * A supercluster hierarchy reduced to typed arrays, so a worker thread can build it and move it to
 * the request thread (transferable buffers, no structured clone of objects) and so it holds only
 * what a tile needs. Per zoom level: a KDBush tree over its items and, per item, four Int32s
 * `[x, y, count, ref]` (x, y in supercluster's Int32 mercator encoding; count 1: `ref` = the point,
 * whose exact position the projection has; count > 1: `ref` = the cluster's row in `kindCounts`).
 * 28 bytes per item per level, against supercluster's 40 plus a properties object per cluster.
 */
export interface PackedClusterIndex {
  /** points clustered */
  points: number
  /** levelOf[z] = which of `levels` serves zoom z, z = 0 … CLUSTER_MAX_ZOOM + 1 (levels repeat where nothing merged) */
  levelOf: Uint8Array
  levels: { tree: ArrayBuffer; items: Int32Array }[]
  /** per cluster, its stations of each kind (STATION_KINDS order) */
  kindCounts: Int32Array
  /** point → projection row */
  row: Int32Array
}

/**
 * What the cluster thread gets: copies of the projection's columns (moved, so the request thread
 * copies memory once and loops over nothing) and the filter as one flag per kind and per status.
 */
export interface ClusterInput {
  count: number
  lon: Float64Array
  lat: Float64Array
  kind: Uint8Array
  status: Uint8Array
  /** kinds[k] = 1: stations of STATION_KINDS[k] pass */
  kinds: Uint8Array
  /** statuses[s] = 1: stations of STATION_STATUSES[s] pass */
  statuses: Uint8Array
}

/** The rows of `input` that pass its filter, as points (row = the projection row). */
export function selectPoints(input: ClusterInput): ClusterPoints {
  const { count, kinds, statuses } = input
  for (const k of ['lon', 'lat', 'kind', 'status'] as const) {
    if (input[k].length < count) throw new RangeError(`selectPoints: input.${k} holds ${input[k].length} values for ${count} rows`)
  }
  let n = 0
  for (let i = 0; i < count; i++) if (kinds[input.kind[i]!] && statuses[input.status[i]!]) n++
  const points: ClusterPoints = { n, lon: new Float64Array(n), lat: new Float64Array(n), kind: new Uint8Array(n), row: new Int32Array(n) }
  for (let i = 0, j = 0; i < count; i++) {
    if (!kinds[input.kind[i]!] || !statuses[input.status[i]!]) continue
    points.lon[j] = input.lon[i]!
    points.lat[j] = input.lat[i]!
    points.kind[j] = input.kind[i]!
    points.row[j++] = i
  }
  return points
}

const KINDS = STATION_KINDS.length
// supercluster 9.1's internal layout (node_modules/supercluster/index.js; the version is pinned in
// package-lock, and cluster-index.test.ts compares every tile with supercluster's own getTile)
const SC_STRIDE = 7
const SC_ID = 3
const SC_NUM = 5
const SC_PROP = 6
const SCALE = 0x40000000
const decode = (v: number) => v / SCALE + 0.5
const encode = (c: number) => (c - 0.5) * SCALE
const STRIDE = 4

/** per-kind counts as flat number fields (supercluster clones a cluster's properties shallowly) */
type Counts = Record<`count_${(typeof STATION_KINDS)[number]}`, number>
const COUNT_KEYS = STATION_KINDS.map((k) => `count_${k}` as const)
interface SuperclusterInternals {
  trees: (KDBush & { data: Int32Array })[]
  clusterProps: Counts[]
}

/** supercluster's options for station tiles (one place, so the test builds the same hierarchy). */
export function superclusterOptions(): Options<Counts, Counts> {
  return {
    maxZoom: CLUSTER_MAX_ZOOM,
    extent: TILE_EXTENT,
    radius: CLUSTER_RADIUS_PX * (TILE_EXTENT / 512),
    reduce: (acc, p) => {
      for (const k of COUNT_KEYS) acc[k] += p[k]
    },
  }
}

const ONE_OF_KIND: readonly Counts[] = STATION_KINDS.map((k) => Object.fromEntries(COUNT_KEYS.map((c) => [c, c === `count_${k}` ? 1 : 0])) as Counts)

/**
 * Clusters `points` with supercluster and packs the result (see PackedClusterIndex). CPU-bound
 * (≈ 4 s at 10^6 points on this machine): run it in a worker thread (cluster-worker.ts).
 *
 * @example const index = buildClusterIndex({ n: 2, lon, lat, kind, row })
 */
export function buildClusterIndex(points: ClusterPoints): PackedClusterIndex {
  const { n } = points
  for (const k of ['lon', 'lat', 'kind', 'row'] as const) {
    if (points[k].length < n) throw new RangeError(`buildClusterIndex: points.${k} holds ${points[k].length} values for n = ${n} points`)
  }
  const features = new Array<PointFeature<Counts>>(n)
  for (let i = 0; i < n; i++) {
    // properties: one shared object per kind, the seed of the per-kind cluster counts
    features[i] = { type: 'Feature', properties: ONE_OF_KIND[points.kind[i]!]!, geometry: { type: 'Point', coordinates: [points.lon[i]!, points.lat[i]!] } }
  }
  const sc = new Supercluster<Counts, Counts>(superclusterOptions()).load(features) as unknown as SuperclusterInternals
  features.length = 0
  const levelOf = new Uint8Array(CLUSTER_MAX_ZOOM + 2)
  const levels: PackedClusterIndex['levels'] = []
  const seen = new Map<object, number>()
  for (let z = 0; z <= CLUSTER_MAX_ZOOM + 1; z++) {
    const tree = sc.trees[z]!
    let level = seen.get(tree)
    if (level === undefined) {
      const items = new Int32Array(tree.numItems * STRIDE)
      const d = tree.data
      for (let i = 0; i < tree.numItems; i++) {
        const k = i * SC_STRIDE
        const count = d[k + SC_NUM]!
        items[i * STRIDE] = d[k]!
        items[i * STRIDE + 1] = d[k + 1]!
        items[i * STRIDE + 2] = count
        items[i * STRIDE + 3] = count > 1 ? d[k + SC_PROP]! : d[k + SC_ID]!
      }
      seen.set(tree, (level = levels.length))
      levels.push({ tree: treeBuffer(tree), items })
    }
    levelOf[z] = level
  }
  const kindCounts = new Int32Array(sc.clusterProps.length * KINDS)
  sc.clusterProps.forEach((p, i) => COUNT_KEYS.forEach((k, j) => (kindCounts[i * KINDS + j] = p[k])))
  return { points: n, levelOf, levels, kindCounts, row: points.row.slice(0, n) }
}

/** KDBush keeps its own buffer in `data`, which supercluster then overwrites with its item array. */
function treeBuffer(tree: KDBush): ArrayBuffer {
  const t = tree as unknown as { ids: Uint16Array | Uint32Array }
  return t.ids.buffer as ArrayBuffer
}

/** The buffers to move with postMessage (all of them: the sender keeps nothing). */
export function clusterIndexBuffers(index: PackedClusterIndex): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>([index.levelOf.buffer as ArrayBuffer, index.kindCounts.buffer as ArrayBuffer, index.row.buffer as ArrayBuffer])
  for (const l of index.levels) {
    out.add(l.tree)
    out.add(l.items.buffer as ArrayBuffer)
  }
  return [...out]
}

/** The index's trees, opened once per index on the thread that serves tiles. */
export interface OpenClusterIndex extends PackedClusterIndex {
  trees: KDBush[]
}

export function openClusterIndex(index: PackedClusterIndex): OpenClusterIndex {
  return { ...index, trees: index.levels.map((l) => KDBush.from(l.tree)) }
}

/** One feature of a tile, in tile coordinates: a station (`row`) or a cluster (`count`, `kindCounts`). */
export type ClusterTileFeature =
  | { x: number; y: number; row: number; count: 1 }
  | { x: number; y: number; count: number; kindCounts: Int32Array }

/**
 * The features of tile z/x/y, as supercluster's getTile gives them (same features, same order, same
 * rounding, including the copies across the antimeridian), or null when none. `lonLat(row)` gives a
 * station's exact position (the index keeps only the Int32 one of its clusters).
 */
export function clusterTileFeatures(index: OpenClusterIndex, z: number, x: number, y: number, lonLat: (row: number, out: [number, number]) => void): ClusterTileFeature[] | null {
  const level = index.levelOf[Math.max(0, Math.min(Math.floor(z), CLUSTER_MAX_ZOOM + 1))]!
  const tree = index.trees[level]!
  const items = index.levels[level]!.items
  const z2 = 2 ** z
  const p = CLUSTER_RADIUS_PX * (TILE_EXTENT / 512) / TILE_EXTENT
  const top = encode((y - p) / z2)
  const bottom = encode((y + 1 + p) / z2)
  const out: ClusterTileFeature[] = []
  const ll: [number, number] = [0, 0]
  const add = (ids: number[], ox: number) => {
    for (const i of ids) {
      const k = i * STRIDE
      const count = items[k + 2]!
      let px: number
      let py: number
      if (count > 1) {
        px = decode(items[k]!)
        py = decode(items[k + 1]!)
      } else {
        lonLat(index.row[items[k + 3]!]!, ll)
        px = lngX(ll[0])
        py = latY(ll[1])
      }
      const tx = Math.round(TILE_EXTENT * (px * z2 - ox))
      const ty = Math.round(TILE_EXTENT * (py * z2 - y))
      if (count > 1) {
        const c = items[k + 3]! * KINDS
        out.push({ x: tx, y: ty, count, kindCounts: index.kindCounts.subarray(c, c + KINDS) })
      } else out.push({ x: tx, y: ty, row: index.row[items[k + 3]!]!, count: 1 })
    }
  }
  add(tree.range(encode((x - p) / z2), top, encode((x + 1 + p) / z2), bottom), x)
  if (x === 0) add(tree.range(encode(1 - p / z2), top, encode(1), bottom), z2)
  if (x === z2 - 1) add(tree.range(encode(0), top, encode(p / z2), bottom), -1)
  return out.length ? out : null
}

// supercluster's projection (spherical mercator in [0, 1]), repeated so the positions match its own
function lngX(lng: number): number {
  return lng / 360 + 0.5
}
function latY(lat: number): number {
  const sin = Math.sin((lat * Math.PI) / 180)
  const y = 0.5 - (0.25 * Math.log((1 + sin) / (1 - sin))) / Math.PI
  return y < 0 ? 0 : y > 1 ? 1 : y
}
