import { createRoute } from '@hono/zod-openapi'
import { listRegions, listRegionSummaries, requireRegion } from '../db/regions.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { RegionCollection, RegionListQuery, RegionSummaryCollection } from '../schemas/region.ts'

const list = createRoute({
  method: 'get',
  path: '/regions',
  summary: 'Administrative regions (GB/T 2260 codes, WGS-84 MultiPolygons); `region` = one place and its counties',
  request: { query: RegionListQuery },
  responses: {
    200: jsonContent(RegionCollection, 'FeatureCollection of regions, ordered by code'),
    400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
    404: jsonContent(ErrorSchema, 'Unknown region'),
  },
})

const summary = createRoute({
  method: 'get',
  path: '/regions/summary',
  summary: 'Every region without its outline: bbox, label point and station counts per kind (maintained, not counted per request)',
  responses: { 200: jsonContent(RegionSummaryCollection, 'FeatureCollection with null geometries and RFC 7946 bboxes, ordered by code') },
})

export const regionRoutes = router()
  .openapi(list, async (c) => {
    const { region } = c.req.valid('query')
    const sql = c.var.deps.sql
    const rows = await listRegions(sql, region ? await requireRegion(sql, region) : undefined)
    const features = rows.map(({ geometry, ...properties }) => ({
      type: 'Feature' as const,
      id: properties.code,
      geometry,
      properties,
    }))
    return c.json({ type: 'FeatureCollection' as const, features }, 200)
  })
  .openapi(summary, async (c) => {
    const rows = await listRegionSummaries(c.var.deps.sql)
    const features = rows.map(({ bbox, ...properties }) => ({ type: 'Feature' as const, id: properties.code, bbox, geometry: null, properties }))
    return c.json({ type: 'FeatureCollection' as const, features }, 200)
  })
