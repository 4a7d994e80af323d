import { createRoute, z } from '@hono/zod-openapi'
import { EARTH_RADIUS_M } from '../core/great-circle-distance.ts'
import { networkIsochrone } from '../core/network-isochrone.ts'
import { MAX_SNAP_M } from '../core/network-snap.ts'
import { ROAD_SPEEDS } from '../core/road-speeds.ts'
import { currentRoadExtract, loadRoadGraph, RoadGraphTooLargeError } from '../db/roads.ts'
import { getStation } from '../db/stations.ts'
import { ApiError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'
import { IsochroneFeature, IsochroneQuery } from '../schemas/roads.ts'

/** Most road edges one isochrone request may load (a 60-minute e-bike area in a dense city stays under it). */
const MAX_ISOCHRONE_EDGES = 500_000

const isochrone = createRoute({
  method: 'get',
  path: '/stations/{id}/isochrone',
  summary: "The area a station reaches within `minutes` along the loaded roads, by e-bike or on foot",
  request: { params: z.object({ id: uuidParam }), query: IsochroneQuery },
  responses: {
    200: jsonContent(IsochroneFeature, 'GeoJSON Feature: the concave outline of the roads reached'),
    400: jsonContent(ErrorSchema, 'A parameter broke its rule'),
    404: jsonContent(ErrorSchema, 'Unknown station, no roads loaded around it, or the station is more than 300 m from a road'),
    413: jsonContent(ErrorSchema, 'The area would load more road edges than the limit'),
  },
})

export const isochroneRoutes = router().openapi(isochrone, async (c) => {
  const { id } = c.req.valid('param')
  const { mode, minutes } = c.req.valid('query')
  const { sql } = c.var.deps
  const station = await getStation(sql, id)
  if (!station) throw new ApiError(404, 'not_found', `station ${id} does not exist`)
  const extract = await currentRoadExtract(sql)
  if (!extract) throw new ApiError(404, 'not_found', 'no road network is loaded; load an OpenStreetMap extract with `npm run load-roads -- file.osm.pbf`')
  const [lon, lat] = station.geometry.coordinates as [number, number]
  // nothing beyond the fastest class's speed × time (+ the walk to the road) can be reached
  const fastest = Math.max(...Object.values(ROAD_SPEEDS).map((s) => s[mode] ?? 0)) / 3.6
  const reachM = fastest * minutes * 60 + MAX_SNAP_M
  const dLat = (reachM / EARTH_RADIUS_M) * (180 / Math.PI)
  const dLon = dLat / Math.cos((Math.min(89, Math.abs(lat) + dLat) * Math.PI) / 180)
  let loaded
  try {
    loaded = await loadRoadGraph(sql, [lon - dLon, lat - dLat, lon + dLon, lat + dLat], { maxEdges: MAX_ISOCHRONE_EDGES })
  } catch (err) {
    if (err instanceof RoadGraphTooLargeError) throw new ApiError(413, 'too_large', `${err.message} (${MAX_ISOCHRONE_EDGES} edges per isochrone); ask for fewer minutes`)
    throw err
  }
  if (loaded.graph.edgeCount === 0) {
    throw new ApiError(404, 'not_found', `no roads are loaded around station ${id} (within ${Math.round(reachM)} m); the loaded extract ${extract.file_name} does not cover it`)
  }
  const iso = networkIsochrone(loaded.graph, { lon, lat }, { mode, minutes })
  if (!iso) throw new ApiError(404, 'not_found', `station ${id} is more than ${MAX_SNAP_M} m from any road usable ${mode === 'foot' ? 'on foot' : 'by e-bike'}: it has no road access`)
  return c.json(
    {
      type: 'Feature' as const,
      geometry: iso.geometry,
      properties: { station_id: id, mode, minutes, reached_nodes: iso.reached_nodes, snap_m: iso.snap_m, extract: extract.file_name },
    },
    200,
  )
})
