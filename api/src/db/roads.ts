import { PLACE_CLASSES, type PlaceClass } from '../core/osm-places.ts'
import { buildRoadGraph } from '../core/network-graph.ts'
import type { RoadNetwork } from '../core/road-network-from-osm.ts'
import type { RoadEdge, RoadGraph } from '../core/road-types.ts'
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
  edges: RoadEdge[]
}

/**
 * The road graph of the edges meeting `bbox` (a segment crossing the edge of the box is kept whole),
 * as the compact in-memory graph; empty when no roads are loaded there. Bounded: more than
 * `maxEdges` edges throws RoadGraphTooLargeError before any edge is read.
 */
export async function loadRoadGraph(sql: Sql, bbox: Bbox, options: { maxEdges?: number } = {}): Promise<LoadedRoadGraph> {
  const maxEdges = options.maxEdges ?? 1_000_000
  const [w, s, e, n] = bbox
  // && on the GiST index of the segments: bbox overlap, the cheap test a region load needs
  const envelope = sql`ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`
  const [row] = await sql<{ count: number }[]>`
    SELECT count(*)::int AS count FROM (SELECT 1 FROM road_edge WHERE geom && ${envelope} LIMIT ${maxEdges + 1}) t`
  const count = row?.count ?? 0
  if (count > maxEdges) throw new RoadGraphTooLargeError(count, maxEdges)
  const edgeRows = await sql<(RoadEdge & { source: number; target: number })[]>`
    SELECT source, target, length_m, class, foot, ebike_forward, ebike_backward FROM road_edge WHERE geom && ${envelope} ORDER BY id`
  const nodeRows = await sql<{ id: number; lon: number; lat: number }[]>`
    SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM road_node
     WHERE id IN (SELECT source FROM road_edge WHERE geom && ${envelope} UNION SELECT target FROM road_edge WHERE geom && ${envelope})
     ORDER BY id`
  const local = new Map<number, number>()
  const nodeIds = new Int32Array(nodeRows.length)
  const lon = new Float64Array(nodeRows.length)
  const lat = new Float64Array(nodeRows.length)
  nodeRows.forEach((r, i) => {
    local.set(r.id, i)
    nodeIds[i] = r.id
    lon[i] = r.lon
    lat[i] = r.lat
  })
  const edges = edgeRows.map((r) => ({ ...r, source: local.get(r.source)!, target: local.get(r.target)! }))
  return { graph: buildRoadGraph(lon, lat, edges), nodeIds, edges }
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
  options: { marginM?: number; maxEdges?: number } = {},
): Promise<LoadedRoadGraph> {
  const marginM = options.marginM ?? 3000
  if (!(marginM >= 0)) throw new RangeError(`marginM must be ≥ 0 metres, got ${marginM}`)
  const [box] = await sql<{ w: number | null; s: number; e: number; n: number }[]>`
    SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n
      FROM (SELECT ST_Extent(geom)::geometry AS x FROM region WHERE code = ANY(${[...regionCodes]}::text[])) t`
  if (!box || box.w === null) return { graph: buildRoadGraph([], [], []), nodeIds: new Int32Array(0), edges: [] }
  const dLat = (marginM / 6371008.7714) * (180 / Math.PI)
  const dLon = dLat / Math.cos((Math.min(89, Math.max(Math.abs(box.s), Math.abs(box.n)) + dLat) * Math.PI) / 180)
  return loadRoadGraph(sql, [box.w - dLon, box.s - dLat, box.e + dLon, box.n + dLat], { maxEdges: options.maxEdges })
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
