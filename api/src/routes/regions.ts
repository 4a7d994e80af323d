import { createRoute } from '@hono/zod-openapi'
import { listRegions } from '../db/regions.ts'
import { jsonContent, router } from '../http/router.ts'
import { RegionCollection } from '../schemas/region.ts'

const list = createRoute({
  method: 'get',
  path: '/regions',
  summary: 'Administrative regions (GB/T 2260 codes, WGS-84 MultiPolygons)',
  responses: { 200: jsonContent(RegionCollection, 'FeatureCollection of regions, ordered by code') },
})

export const regionRoutes = router().openapi(list, async (c) => {
  const rows = await listRegions(c.var.deps.sql)
  const features = rows.map(({ geometry, ...properties }) => ({
    type: 'Feature' as const,
    id: properties.code,
    geometry,
    properties,
  }))
  return c.json({ type: 'FeatureCollection' as const, features }, 200)
})
