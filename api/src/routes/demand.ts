import { createRoute } from '@hono/zod-openapi'
import { defaultLayerOf, defaultLayers, listDemandLayers, loadNamedDemand } from '../db/demand.ts'
import { requireRegion } from '../db/regions.ts'
import { checkGeoJsonBudget } from '../planning/planning-inputs.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { DemandCollection, DemandLayerList, DemandQuery } from '../schemas/demand.ts'

const layers = createRoute({
  method: 'get',
  path: '/demand/layers',
  summary: 'Demand layers with their metadata (unit, source, modelled/demo), item counts and total weight',
  responses: { 200: jsonContent(DemandLayerList, 'Every demand layer, ordered by id') },
})

const demand = createRoute({
  method: 'get',
  path: '/demand',
  summary: "A demand layer's H3 cells (at their centres) or weighted points in a county or city, as GeoJSON",
  request: { query: DemandQuery },
  responses: {
    200: jsonContent(DemandCollection, 'FeatureCollection of Points with properties.h3, weight, region_code (and name for points); `layer` holds the metadata'),
    400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
    404: jsonContent(ErrorSchema, 'Unknown layer or region'),
    413: jsonContent(ErrorSchema, 'The answer’s estimated memory exceeds the planning memory budget (PLANNING_MEMORY_MB): ask for a coarser resolution or a smaller region'),
  },
})

export const demandRoutes = router()
  .openapi(layers, async (c) => c.json({ layers: await listDemandLayers(c.var.deps.sql), defaults: await defaultLayers(c.var.deps.sql) }, 200))
  .openapi(demand, async (c) => {
    const q = c.req.valid('query')
    const { sql } = c.var.deps
    const codes = await requireRegion(sql, q.region)
    const layerId = q.layer ?? (await defaultLayerOf(sql, codes))
    // the GeoJSON answer is built whole: checked against the planning memory budget before reading
    await checkGeoJsonBudget(c.var.deps, { layerId, regionCodes: codes, resolution: q.resolution, what: `layer ${layerId} in region ${q.region} as GeoJSON`, signal: c.req.raw.signal })
    const { layer, items, resolution } = await loadNamedDemand(sql, { layer: layerId, regionCodes: codes, resolution: q.resolution })
    return c.json(
      {
        type: 'FeatureCollection' as const,
        layer: { ...layer, resolution, stored_resolution: layer.resolution },
        features: items.map((i) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [i.lon, i.lat] as [number, number] },
          properties: { h3: i.h3, weight: i.weight, region_code: i.region_code, ...(i.name ? { name: i.name } : {}) },
        })),
      },
      200,
    )
  })
