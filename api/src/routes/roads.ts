import { createRoute, z } from '@hono/zod-openapi'
import { requireRegion } from '../db/regions.ts'
import { searchRoadPlaces } from '../db/roads.ts'
import { jsonContent, router } from '../http/router.ts'
import { regionRoads } from '../planning/region-roads.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { PlaceSearchQuery, PlaceSearchResult, RoadsQuery, RoadsSummary } from '../schemas/roads.ts'
import { etagMatches } from '../tiles/conditional.ts'
import { OSM_ATTRIBUTION } from '../tiles/road-tiles.ts'

/** The binary road graph's media type (format: api/src/core/road-graph-binary.ts). */
export const ROAD_GRAPH_TYPE = 'application/vnd.station-atlas.road-graph'

const errors = {
  400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
  404: jsonContent(ErrorSchema, 'Unknown region'),
  413: jsonContent(ErrorSchema, 'The region holds more road edges than one request may load'),
}

const summary = createRoute({
  method: 'get',
  path: '/roads',
  summary: 'Whether roads are loaded for a region (so metric=network applies), and the size of its graph',
  request: { query: RoadsQuery },
  responses: { 200: jsonContent(RoadsSummary, 'Roads of the region'), ...errors },
})

const graph = createRoute({
  method: 'get',
  path: '/roads/graph',
  summary: "The region's road graph as one compact binary, for routing in the page (offline on the rider's phone)",
  description:
    'Nodes (WGS-84, 1e-7°) and edges (length, OSM class, foot / e-bike directions) of the roads meeting the region’s bounding box + 3 km, little-endian typed arrays after a JSON header (api/src/core/road-graph-binary.ts): 8 bytes a node, 14 an edge. ETag from the roads version; 304 while unchanged. © OpenStreetMap contributors, ODbL.',
  request: { query: RoadsQuery },
  responses: {
    200: { content: { [ROAD_GRAPH_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } }, description: 'The graph (empty when no roads are loaded there)' },
    304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    ...errors,
  },
})

const places = createRoute({
  method: 'get',
  path: '/places',
  summary: 'Towns, villages and streets loaded with the roads (OSM place=*) whose name holds q, for searching a place to put a station at',
  request: { query: PlaceSearchQuery },
  responses: { 200: jsonContent(PlaceSearchResult, 'Matching places, best first (empty when no roads are loaded)'), 400: errors[400] },
})

export const roadRoutes = router()
  .openapi(places, async (c) => {
    const { q, limit } = c.req.valid('query')
    const hits = await searchRoadPlaces(c.var.deps.sql, q, limit)
    return c.json({ places: hits, attribution: hits.length ? OSM_ATTRIBUTION : null }, 200)
  })
  .openapi(summary, async (c) => {
    const { region } = c.req.valid('query')
    const roads = await regionRoads(c.var.deps, await requireRegion(c.var.deps.sql, region))
    const { graph } = roads
    const loaded = graph.edgeCount > 0
    return c.json(
      {
        region,
        loaded,
        extract: roads.extract ? { file_name: roads.extract.file_name, loaded_at: new Date(roads.extract.loaded_at).toISOString() } : null,
        nodes: graph.nodeCount,
        edges: graph.edgeCount,
        graph_bytes: roads.binary.byteLength,
        attribution: loaded ? OSM_ATTRIBUTION : null,
      },
      200,
    )
  })
  .openapi(graph, async (c) => {
    const { region } = c.req.valid('query')
    const roads = await regionRoads(c.var.deps, await requireRegion(c.var.deps.sql, region))
    c.header('ETag', roads.etag)
    // revalidate every time (a 304 is a few hundred bytes); the rider's service worker keeps a copy offline
    c.header('Cache-Control', 'no-cache')
    if (etagMatches(c.req.header('If-None-Match'), roads.etag)) return c.body(null, 304)
    c.header('Content-Type', ROAD_GRAPH_TYPE)
    if (roads.graph.edgeCount > 0) c.header('Attribution', OSM_ATTRIBUTION)
    return c.body(roads.binary as Uint8Array<ArrayBuffer>, 200)
  })
