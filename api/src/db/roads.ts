import { PLACE_CLASSES, type PlaceClass } from '../core/osm-places.ts'
import { buildRoadGraph } from '../core/network-graph.ts'
import { EDGE_EBIKE_BACKWARD, EDGE_EBIKE_FORWARD, EDGE_FOOT, roadEdgeColumns, type RoadEdgeColumns } from '../core/road-edge-columns.ts'
import { buildRoadGraphInSlices } from '../core/road-graph-in-slices.ts'
import type { RoadNetwork } from '../core/road-network-from-osm.ts'
import type { RoadGraph } from '../core/road-types.ts'
import type { Sql } from './connect.ts'

/** The loaded extract's record (one at a time). */
export interface RoadExtract {
  sha256: string
  file_name: string
  bytes: number
  ways: number
  nodes: number
  edges: number
  loaded_at: Date
}

/** A region's graph would exceed the edge limit: ask for a smaller area. */
export class RoadGraphTooLargeError extends Error {
  constructor(
    readonly edges: number,
    readonly limit: number,
  ) {
    super(`the road graph of this area has ${edges} edges, more than the limit of ${limit}; ask for a smaller area`)
  }
}

/** The extract the road tables hold, or null when no roads are loaded. */
export async function currentRoadExtract(sql: Sql): Promise<RoadExtract | null> {
  const [row] = await sql<RoadExtract[]>`
    SELECT sha256, file_name, bytes::float8 AS bytes, ways, nodes, edges, loaded_at FROM road_extract ORDER BY loaded_at DESC LIMIT 1`
  return row ?? null
}

const BATCH = 10_000

/**
 * Makes `network` the road network and its named places, in one transaction: unless the extract
 * with this sha-256 is already the loaded one (then nothing is written and false is returned), every
 * road table is emptied and refilled. `progress` hears about each batch.
 */
export async function replaceRoadNetwork(
  sql: Sql,
  extract: { sha256: string; file_name: string; bytes: number },
  network: RoadNetwork,
  progress: (msg: string) => void = () => {},
): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [same] = await tx`SELECT 1 FROM road_extract WHERE sha256 = ${extract.sha256} AND places IS NOT NULL`
    if (same) return false
    await tx`DELETE FROM road_place`
    await tx`DELETE FROM road_edge`
    await tx`DELETE FROM road_node`
    await tx`DELETE FROM road_extract`
    const n = network.osmIds.length
    for (let i = 0; i < n; i += BATCH) {
      const rows: (number | null)[][] = []
      for (let j = i; j < Math.min(n, i + BATCH); j++) rows.push([j, network.osmIds[j]!, network.lon[j]!, network.lat[j]!])
      // one jsonb parameter per batch: a few round trips instead of one per row
      await tx`INSERT INTO road_node (id, osm_id, geom)
                 SELECT (r->>0)::int, (r->>1)::bigint, ST_SetSRID(ST_MakePoint((r->>2)::float8, (r->>3)::float8), 4326)
                   FROM jsonb_array_elements(${tx.json(rows)}::jsonb) r`
      progress(`nodes ${Math.min(n, i + BATCH).toLocaleString('en')} / ${n.toLocaleString('en')}`)
    }
    const m = network.edges.length
    for (let i = 0; i < m; i += BATCH) {
      const rows = network.edges.slice(i, i + BATCH).map((e, k) => [i + k, e.source, e.target, e.way_id, e.length_m, e.class, e.foot, e.ebike_forward, e.ebike_backward, e.name, e.name_en])
      await tx`INSERT INTO road_edge (id, source, target, way_id, length_m, class, foot, ebike_forward, ebike_backward, name, name_en, geom)
                 SELECT (r->>0)::int, (r->>1)::int, (r->>2)::int, (r->>3)::bigint, (r->>4)::float8, r->>5,
                        (r->>6)::boolean, (r->>7)::boolean, (r->>8)::boolean, r->>9, r->>10, ST_MakeLine(a.geom, b.geom)
                   FROM jsonb_array_elements(${tx.json(rows)}::jsonb) r
                   JOIN road_node a ON a.id = (r->>1)::int
                   JOIN road_node b ON b.id = (r->>2)::int`
      progress(`edges ${Math.min(m, i + BATCH).toLocaleString('en')} / ${m.toLocaleString('en')}`)
    }
    const places = network.places
    for (let i = 0; i < places.length; i += BATCH) {
      const rows = places.slice(i, i + BATCH).map((p) => [p.id, p.class, p.name, p.name_en, p.population, p.lon, p.lat])
      await tx`INSERT INTO road_place (id, class, name, name_en, population, geom)
                 SELECT (r->>0)::bigint, r->>1, r->>2, r->>3, (r->>4)::bigint, ST_SetSRID(ST_MakePoint((r->>5)::float8, (r->>6)::float8), 4326)
                   FROM jsonb_array_elements(${tx.json(rows)}::jsonb) r`
      progress(`places ${Math.min(places.length, i + BATCH).toLocaleString('en')} / ${places.length.toLocaleString('en')}`)
    }
    await tx`INSERT INTO road_extract (sha256, file_name, bytes, ways, nodes, edges, places)
             VALUES (${extract.sha256}, ${extract.file_name}, ${extract.bytes}, ${network.ways}, ${n}, ${m}, ${places.length})`
    await tx`ANALYZE road_node`
    await tx`ANALYZE road_edge`
    return true
  })
}

/** A bounding box in WGS-84 degrees: west, south, east, north. */
export type Bbox = readonly [number, number, number, number]

export interface LoadedRoadGraph {
  graph: RoadGraph
  /** road_node.id of graph node i */
  nodeIds: Int32Array
  /** the edges the graph was built from (node indexes local to it), for the binary download */
  edges: RoadEdgeColumns
}

export interface RoadGraphReadOptions {
  /** more edges than this throws RoadGraphTooLargeError before any edge is read; default 1 000 000 */
  maxEdges?: number
  /** items per slice of work between two pauses; default 4096; Infinity: no pauses, and one statement for the edges and one for the nodes */
  slice?: number
  /** rows per statement (edges, nodes); default 16 384: fewer round trips, while parsing one statement's rows holds the thread ≈ 30–100 ms on a busy machine */
  rows?: number
  /** where the graph's typed arrays live (see buildRoadGraphInSlices): a SharedArrayBuffer for the worker pool */
  buffer?: (bytes: number) => ArrayBufferLike
}

/**
 * A pause that lets whatever queued meanwhile run first: requests that arrived, and their queries,
 * which on the embedded database's one connection then go before our next statement (as the demand
 * read does, db/demand.ts).
 */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve))

async function inSlices<T>(steps: Generator<void, T, void>, pauses: boolean): Promise<T> {
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value
    if (pauses) await pause()
  }
}

/** Index of `v` in the ascending `sorted`, which holds it. */
function indexIn(sorted: Int32Array, v: number): number {
  let lo = 0
  let hi = sorted.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** The distinct values of two ascending arrays, ascending. */
function* mergeDistinct(a: Int32Array, b: Int32Array, slice: number): Generator<void, Int32Array, void> {
  const out = new Int32Array(a.length + b.length)
  let i = 0
  let j = 0
  let k = 0
  while (i < a.length || j < b.length) {
    const v = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!
    if (k === 0 || out[k - 1] !== v) out[k++] = v
    if ((i + j) % slice === 0) yield
  }
  return out.slice(0, k)
}

/**
 * The road graph of the edges meeting `bbox` (a segment crossing the edge of the box is kept whole),
 * as the compact in-memory graph; empty when no roads are loaded there. Bounded: more than
 * `maxEdges` edges throws RoadGraphTooLargeError before any edge is read. Read so the thread is
 * never held long (a county's 200k edges in one go held the request thread ≈ 2.5 s): edges and nodes
 * by keyset in statements of `rows` rows into typed columns, the graph built in slices, with a pause
 * between every statement and slice.
 */
export async function loadRoadGraph(sql: Sql, bbox: Bbox, options: RoadGraphReadOptions = {}): Promise<LoadedRoadGraph> {
  const maxEdges = options.maxEdges ?? 1_000_000
  const slice = options.slice ?? 4096
  if (!(slice >= 1)) throw new RangeError(`slice must be ≥ 1 items, got ${slice}`)
  const pauses = Number.isFinite(slice)
  const rowsPer = pauses ? (options.rows ?? 16_384) : Infinity
  if (!(rowsPer >= 1)) throw new RangeError(`rows must be ≥ 1, got ${rowsPer}`)
  const [w, s, e, n] = bbox
  // && on the GiST index of the segments: bbox overlap, the cheap test a region load needs
  const envelope = sql`ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`
  const [row] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM (SELECT 1 FROM road_edge WHERE geom && ${envelope} LIMIT ${maxEdges + 1}) t`
  const count = row?.count ?? 0
  if (count > maxEdges) throw new RoadGraphTooLargeError(count, maxEdges)
  const source = new Int32Array(count)
  const target = new Int32Array(count)
  const length_m = new Float64Array(count)
  const classIndex = new Uint8Array(count)
  const flags = new Uint8Array(count)
  const classes: string[] = []
  const classOf = new Map<string, number>()
  let m = 0
  // keyset on id: each statement is short, and nothing is skipped or read twice between them
  for (let last = -1; m < count; ) {
    const rows = await sql<{ id: number; source: number; target: number; length_m: number; class: string; foot: boolean; ebike_forward: boolean; ebike_backward: boolean }[]>`
      SELECT id, source, target, length_m, class, foot, ebike_forward, ebike_backward FROM road_edge
       WHERE geom && ${envelope} AND id > ${last} ORDER BY id ${Number.isFinite(rowsPer) ? sql`LIMIT ${rowsPer}` : sql``}`
    if (!rows.length) break
    for (const r of rows) {
      if (m === count) break
      let c = classOf.get(r.class)
      if (c === undefined) {
        if (classes.length === 256) throw new RangeError('more than 256 road classes')
        classOf.set(r.class, (c = classes.push(r.class) - 1))
      }
      source[m] = r.source
      target[m] = r.target
      length_m[m] = r.length_m
      classIndex[m] = c
      flags[m] = (r.foot ? EDGE_FOOT : 0) | (r.ebike_forward ? EDGE_EBIKE_FORWARD : 0) | (r.ebike_backward ? EDGE_EBIKE_BACKWARD : 0)
      m++
    }
    last = rows[rows.length - 1]!.id
    if (pauses) await pause()
  }
  // fewer edges than counted when the roads were replaced meanwhile: keep what was read
  const edges: RoadEdgeColumns = { source: source.slice(0, m), target: target.slice(0, m), length_m: length_m.slice(0, m), classIndex: classIndex.slice(0, m), classes, flags: flags.slice(0, m) }
  const sortedSources = edges.source.slice().sort()
  if (pauses) await pause()
  const sortedTargets = edges.target.slice().sort()
  if (pauses) await pause()
  const nodeIds = await inSlices(mergeDistinct(sortedSources, sortedTargets, slice), pauses)
  const lon = new Float64Array(nodeIds.length)
  const lat = new Float64Array(nodeIds.length)
  const step = Number.isFinite(rowsPer) ? rowsPer : Math.max(1, nodeIds.length)
  for (let i = 0; i < nodeIds.length; i += step) {
    const ids = Array.from(nodeIds.subarray(i, i + step))
    const nodes = await sql<{ id: number; lon: number; lat: number }[]>`
      SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM road_node WHERE id = ANY(${ids}::int[]) ORDER BY id`
    // the statements are not one snapshot (one would hold the embedded database's only connection
    // for the whole read): a reload of the roads between them shows as nodes gone; the caller's
    // cache forgets a failed read, and the reload bumped the roads version anyway
    if (nodes.length !== ids.length) throw new Error(`the road network changed while it was read (${ids.length - nodes.length} nodes gone); ask again`)
    nodes.forEach((r, k) => {
      lon[i + k] = r.lon
      lat[i + k] = r.lat
    })
    if (pauses) await pause()
  }
  // node ids → local indexes (the ids are sorted, so a binary search)
  await inSlices(
    (function* () {
      for (let k = 0; k < m; k++) {
        edges.source[k] = indexIn(nodeIds, edges.source[k]!)
        edges.target[k] = indexIn(nodeIds, edges.target[k]!)
        if ((k + 1) % slice === 0) yield
      }
    })(),
    pauses,
  )
  const graph = await inSlices(buildRoadGraphInSlices(lon, lat, edges, { slice, buffer: options.buffer }), pauses)
  return { graph, nodeIds, edges }
}

/**
 * The road graph for planning in some counties: the edges meeting the regions' bounding box grown by
 * `marginM` metres on every side (so stations just outside a county that reach into it, and roads
 * leaving it, count). Bounded like loadRoadGraph; an empty graph when no roads are loaded there or the
 * codes match no region.
 */
export async function loadRegionRoadGraph(
  sql: Sql,
  regionCodes: readonly string[],
  options: RoadGraphReadOptions & { marginM?: number } = {},
): Promise<LoadedRoadGraph> {
  const marginM = options.marginM ?? 3000
  if (!(marginM >= 0)) throw new RangeError(`marginM must be ≥ 0 metres, got ${marginM}`)
  const [box] = await sql<{ w: number | null; s: number; e: number; n: number }[]>`
    SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n
      FROM (SELECT ST_Extent(geom)::geometry AS x FROM region WHERE code = ANY(${[...regionCodes]}::text[])) t`
  if (!box || box.w === null) return { graph: buildRoadGraph([], [], []), nodeIds: new Int32Array(0), edges: roadEdgeColumns([]) }
  const dLat = (marginM / 6371008.7714) * (180 / Math.PI)
  const dLon = dLat / Math.cos((Math.min(89, Math.max(Math.abs(box.s), Math.abs(box.n)) + dLat) * Math.PI) / 180)
  return loadRoadGraph(sql, [box.w - dLon, box.s - dLat, box.e + dLon, box.n + dLat], options)
}

export interface PlaceHit {
  id: string
  name: string
  name_en: string | null
  class: PlaceClass
  lon: number
  lat: number
}

/**
 * Loaded OSM settlements whose name (or English name) holds `q`: names starting with it first,
 * then towns before villages, the most populous first. A sequential scan of road_place — an
 * extract holds thousands of places, not millions, so no trigram index is needed — cut at `limit`.
 * `strpos` rather than LIKE: the user's `%` and `_` are letters, not wildcards.
 */
export async function searchRoadPlaces(sql: Sql, q: string, limit: number): Promise<PlaceHit[]> {
  return sql<PlaceHit[]>`
    SELECT id::text AS id, name, name_en, class, ST_X(geom) AS lon, ST_Y(geom) AS lat
      FROM road_place
     WHERE strpos(name, ${q}) > 0 OR strpos(lower(coalesce(name_en, '')), lower(${q})) > 0
     ORDER BY (strpos(name, ${q}) = 1) DESC, array_position(${[...PLACE_CLASSES]}::text[], class), population DESC NULLS LAST, id
     LIMIT ${limit}`
}
