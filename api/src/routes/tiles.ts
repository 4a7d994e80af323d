import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { ApiError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { StationTileQuery, TileJson, TileParams } from '../schemas/tiles.ts'
import { etagMatches, etagOf, MVT_TYPE, TILE_CACHE_CONTROL } from '../tiles/conditional.ts'
import { currentDataVersions } from '../tiles/data-version.ts'
import { REGION_MAX_ZOOM, regionTilesFor } from '../tiles/region-tiles.ts'
import { OSM_ATTRIBUTION, ROAD_MIN_ZOOM, ROAD_TILESET_MIN_ZOOM, roadTile } from '../tiles/road-tiles.ts'
import { encodeStationTile, filterKey, stationTilesFor } from '../tiles/station-tiles.ts'

const mvt = (description: string) => ({
  200: { content: { [MVT_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } }, description },
  204: { description: 'Nothing in this tile (MapLibre draws an empty tile)' },
  304: { description: 'Unchanged since the ETag sent in If-None-Match' },
  400: jsonContent(ErrorSchema, 'z, x or y out of range (the message names the field), or a bad filter'),
})

const stationTile = createRoute({
  method: 'get',
  path: '/tiles/stations/{z}/{x}/{y}',
  summary: 'Stations as a vector tile ({y} is y.mvt): layer `stations`, clusters with point_count and count_<kind> up to z 14',
  request: { params: TileParams, query: StationTileQuery },
  responses: mvt('MVT: points with id, kind, status, name (radius_m, opening_hours when set); clusters with cluster, point_count, point_count_abbreviated, count_<kind>'),
})

const roadTileRoute = createRoute({
  method: 'get',
  path: '/tiles/roads/{z}/{x}/{y}',
  summary: 'Streets from the loaded OSM extract as a vector tile ({y} is y.mvt): layer `roads` (class, name, name_en) from z 10, layer `places` (named towns, villages, neighbourhoods: class, rank, name, name_en, population) from z 8 by class; © OpenStreetMap contributors, ODbL',
  request: { params: TileParams },
  responses: mvt('MVT: lines with class (OSM highway=*), name (name:zh, else name) and name_en (name:en); points of OSM place=city|town|suburb|village|quarter|hamlet|neighbourhood with rank 0 (city) … 6 (neighbourhood); the Attribution header carries the ODbL notice'),
})

const regionTile = createRoute({
  method: 'get',
  path: '/tiles/regions/{z}/{x}/{y}',
  summary: 'Regions as a vector tile ({y} is y.mvt), simplified per zoom: layers `regions` (polygons) and `region_labels` (points with station_count); z ≤ 12',
  request: { params: TileParams },
  responses: mvt('MVT: polygons with code, name, name_en, level, parent_code; label points with the same and station_count'),
})

const tileJson = createRoute({
  method: 'get',
  path: '/tiles/{set}',
  summary: 'TileJSON 3.0.0 of a tile set (stations.json, roads.json, regions.json): URL template, zoom range, layers, attribution',
  request: { params: z.object({ set: z.enum(['stations.json', 'roads.json', 'regions.json'], { message: 'set must be stations.json, roads.json or regions.json' }).openapi({ param: { name: 'set', in: 'path' } }) }) },
  responses: { 200: jsonContent(TileJson, 'TileJSON; MapLibre shows its attribution while a layer of the source is on the map'), 400: jsonContent(ErrorSchema, 'Unknown tile set') },
})

/** How long a `?v=` station tile waits for the index of that version before it serves the previous one. */
export const FRESH_TILE_BUDGET_MS = 10_000

/** 304 when the client holds this ETag, 204 for an empty tile, else the MVT bytes; all with ETag and Cache-Control. */
async function send(c: Context, etag: string, make: () => Uint8Array | null | Promise<Uint8Array | null>, cacheControl = TILE_CACHE_CONTROL) {
  c.header('ETag', etag)
  c.header('Cache-Control', cacheControl)
  if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  const bytes = await make()
  if (!bytes) return c.body(null, 204)
  c.header('Content-Type', MVT_TYPE)
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200)
}

const VECTOR_LAYERS = {
  'stations.json': [
    { id: 'stations', minzoom: 0, maxzoom: 22, fields: { id: 'String', kind: 'String', status: 'String', name: 'String', radius_m: 'Number', opening_hours: 'String', cluster: 'Boolean', point_count: 'Number', point_count_abbreviated: 'String', count_service_centre: 'Number', count_red_sail: 'Number', count_rider_rest: 'Number', count_worksite: 'Number' } },
  ],
  'roads.json': [
    { id: 'roads', minzoom: ROAD_MIN_ZOOM, maxzoom: 22, fields: { class: 'String', name: 'String', name_en: 'String' } },
    { id: 'places', minzoom: ROAD_TILESET_MIN_ZOOM, maxzoom: 22, fields: { class: 'String', rank: 'Number', name: 'String', name_en: 'String', population: 'Number' } },
  ],
  'regions.json': [
    { id: 'regions', minzoom: 0, maxzoom: REGION_MAX_ZOOM, fields: { code: 'String', name: 'String', name_en: 'String', level: 'String', focus: 'Boolean', parent_code: 'String' } },
    { id: 'region_labels', minzoom: 0, maxzoom: REGION_MAX_ZOOM, fields: { code: 'String', name: 'String', name_en: 'String', level: 'String', focus: 'Boolean', parent_code: 'String', station_count: 'Number' } },
  ],
} as const

export const tileRoutes = router()
  .openapi(stationTile, async (c) => {
    const { z: zoom, x, y } = c.req.valid('param')
    const q = c.req.valid('query')
    const filter = { kinds: q.kind, statuses: q.status }
    const tiles = stationTilesFor(c.var.deps.sql)
    // ?v= (the page saw the version move): wait for that index, but within a budget; a rebuild at 10^6
    // takes seconds and the previous index is a better answer than a stalled tile
    const entry = q.v === undefined ? await tiles.index(filter) : await tiles.indexAtLeast(filter, q.v, FRESH_TILE_BUDGET_MS)
    // stale (the budget ran out): served from the previous index, not to be kept under this ?v= URL
    const stale = q.v !== undefined && entry.version < q.v
    // the version of the index actually served (the previous one while a rebuild runs)
    return send(c, etagOf('stations', entry.version, zoom, x, y, filterKey(filter)), () => encodeStationTile(entry, zoom, x, y), stale ? 'no-store' : undefined) as never
  })
  .openapi(roadTileRoute, async (c) => {
    const { z: zoom, x, y } = c.req.valid('param')
    const { sql } = c.var.deps
    const { roads } = await currentDataVersions(sql)
    c.header('Attribution', OSM_ATTRIBUTION.replace('©', '(c)'))
    c.header('Link', '<https://www.openstreetmap.org/copyright>; rel="license"')
    return send(c, etagOf('roads', roads, zoom, x, y), () => roadTile(sql, zoom, x, y)) as never
  })
  .openapi(regionTile, async (c) => {
    const { z: zoom, x, y } = c.req.valid('param')
    if (zoom > REGION_MAX_ZOOM) {
      throw new ApiError(400, 'invalid_params', `z: region tiles stop at z ${REGION_MAX_ZOOM}; set the source's maxzoom to ${REGION_MAX_ZOOM} (regions.json says so) and let the map overzoom`, [
        { path: ['z'], message: `must be ≤ ${REGION_MAX_ZOOM} for region tiles` },
      ])
    }
    const tiles = regionTilesFor(c.var.deps.sql)
    const versions = await currentDataVersions(c.var.deps.sql)
    return send(c, etagOf('regions', versions.regions, versions.stations, zoom, x, y), async () => (await tiles.tile(zoom, x, y)).bytes) as never
  })
  .openapi(tileJson, (c) => {
    const { set } = c.req.valid('param')
    const name = set.slice(0, -5)
    const origin = new URL(c.req.url).origin
    const layers = VECTOR_LAYERS[set]
    c.header('Cache-Control', 'public, max-age=60')
    return c.json(
      {
        tilejson: '3.0.0' as const,
        name: `Station Atlas ${name}`,
        tiles: [`${origin}/api/tiles/${name}/{z}/{x}/{y}.mvt`],
        minzoom: Math.min(...layers.map((l) => l.minzoom)),
        maxzoom: name === 'stations' ? 22 : Math.max(...layers.map((l) => l.maxzoom)),
        ...(name === 'roads' ? { attribution: OSM_ATTRIBUTION } : {}),
        vector_layers: layers.map((l) => ({ ...l, fields: { ...l.fields } })),
      },
      200,
    )
  })

