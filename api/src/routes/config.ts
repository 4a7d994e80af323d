import { createRoute, type z } from '@hono/zod-openapi'
import { Config } from '../schemas/config.ts'
import { currentRoadExtract } from '../db/roads.ts'
import { jsonContent, router } from '../http/router.ts'
import { tiandituBasemap } from '../http/tianditu.ts'
import { currentDataVersions } from '../tiles/data-version.ts'
import { OSM_ATTRIBUTION, ROAD_TILESET_MIN_ZOOM } from '../tiles/road-tiles.ts'
import type { Sql } from '../db/connect.ts'

const config = createRoute({
  method: 'get',
  path: '/config',
  summary: 'Deployment settings the page needs (basemap, Tianditu, whether streets are loaded)',
  responses: { 200: jsonContent(Config, 'Page configuration') },
})

type RoadsInfo = z.infer<typeof Config>['roads']
const roadsInfo = new WeakMap<Sql, { version: number; info: Promise<RoadsInfo> }>()

/** The loaded extract's name and extent, read once per roads version (an extent over every node). */
async function loadedRoads(sql: Sql): Promise<RoadsInfo> {
  const { roads: version } = await currentDataVersions(sql)
  const hit = roadsInfo.get(sql)
  if (hit && hit.version === version) return hit.info
  const info = (async (): Promise<RoadsInfo> => {
    const extract = await currentRoadExtract(sql)
    if (!extract) return null
    const [b] = await sql<{ w: number | null; s: number; e: number; n: number }[]>`
      SELECT ST_XMin(x) AS w, ST_YMin(x) AS s, ST_XMax(x) AS e, ST_YMax(x) AS n FROM (SELECT ST_Extent(geom)::geometry AS x FROM (SELECT geom FROM road_node UNION ALL SELECT geom FROM road_place) g) t`
    if (!b || b.w === null) return null
    return { extract: extract.file_name, bounds: [b.w, b.s, b.e, b.n], min_zoom: ROAD_TILESET_MIN_ZOOM, attribution: OSM_ATTRIBUTION }
  })()
  info.catch(() => roadsInfo.delete(sql))
  roadsInfo.set(sql, { version, info })
  return info
}

export const configRoutes = router().openapi(config, async (c) => {
  const { basemapStyleUrl, basemapAttribution, tianditu } = c.var.deps.config
  return c.json(
    {
      basemap_style_url: basemapStyleUrl,
      basemap_attribution: basemapAttribution,
      tianditu: tianditu ? tiandituBasemap(tianditu) : null,
      roads: await loadedRoads(c.var.deps.sql),
    },
    200,
  )
})
