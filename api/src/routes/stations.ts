import { createRoute, z } from '@hono/zod-openapi'
import { requireRegion } from '../db/regions.ts'
import { getStation, listStations, nearestStations } from '../db/stations.ts'
import { ApiError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'
import { NearestCollection, NearestQuery, StationCollection, StationFeature, StationListQuery } from '../schemas/station.ts'

const list = createRoute({
  method: 'get',
  path: '/stations',
  summary: 'Stations as GeoJSON, filtered by kind, region, bbox and status; paged by cursor',
  request: { query: StationListQuery },
  responses: {
    200: jsonContent(StationCollection, 'FeatureCollection; `next_cursor` when another page exists'),
    400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
    404: jsonContent(ErrorSchema, 'Unknown region'),
  },
})

const one = createRoute({
  method: 'get',
  path: '/stations/{id}',
  summary: 'One station',
  request: { params: z.object({ id: uuidParam }) },
  responses: {
    200: jsonContent(StationFeature, 'The station as a GeoJSON Feature'),
    400: jsonContent(ErrorSchema, 'The id is not a UUID'),
    404: jsonContent(ErrorSchema, 'No station has this id'),
  },
})

const nearest = createRoute({
  method: 'get',
  path: '/nearest',
  summary: 'Active stations nearest to a point, by great-circle distance',
  request: { query: NearestQuery },
  responses: {
    200: jsonContent(NearestCollection, 'FeatureCollection ordered by distance, with properties.distance_m'),
    400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
  },
})

// Cursor = base64url of the last id of the page (keyset paging: stable under inserts, no OFFSET scans).
const encodeCursor = (id: string) => Buffer.from(id).toString('base64url')
function decodeCursor(cursor: string): string {
  const id = Buffer.from(cursor, 'base64url').toString()
  if (!z.uuid().safeParse(id).success) {
    throw new ApiError(400, 'invalid_query', 'cursor: must be a next_cursor value from a previous page', [
      { path: ['cursor'], message: 'must be a next_cursor value from a previous page' },
    ])
  }
  return id
}

export const stationRoutes = router()
  .openapi(list, async (c) => {
    const q = c.req.valid('query')
    const { sql } = c.var.deps
    let regionCodes: string[] | undefined
    if (q.region) {
      regionCodes = await requireRegion(sql, q.region)
    }
    const page = await listStations(sql, {
      kinds: q.kind,
      regionCodes,
      bbox: q.bbox,
      statuses: q.status,
      limit: q.limit,
      afterId: q.cursor ? decodeCursor(q.cursor) : undefined,
    })
    const last = page.features.at(-1)
    return c.json(
      {
        type: 'FeatureCollection' as const,
        features: page.features,
        ...(page.more && last ? { next_cursor: encodeCursor(last.id) } : {}),
      },
      200,
    )
  })
  .openapi(one, async (c) => {
    const { id } = c.req.valid('param')
    const feature = await getStation(c.var.deps.sql, id)
    if (!feature) throw new ApiError(404, 'not_found', `station ${id} does not exist`)
    return c.json(feature, 200)
  })
  .openapi(nearest, async (c) => {
    const q = c.req.valid('query')
    const features = await nearestStations(c.var.deps.sql, {
      lon: q.lon,
      lat: q.lat,
      kinds: q.kind,
      limit: q.limit,
      openAt: q.open_at === undefined ? undefined : q.open_at === 'now' ? new Date() : new Date(q.open_at),
      amenities: q.amenity,
      maxDistance: q.max_distance_m,
    }, c.req.raw.signal)
    return c.json({ type: 'FeatureCollection' as const, features }, 200)
  })
