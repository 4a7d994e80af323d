import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { authorize, bodyAs, writeRoute } from '../auth/authorize.ts'
import { actorLabel } from '../auth/principal.ts'
import { historyOf } from '../db/history.ts'
import { requireRegion } from '../db/regions.ts'
import {
  getStation, insertStation, listStationColumns, listStations, nearestStations, OutsideRegionsError, RegionMismatchError, regionOfPoint,
  StaleVersionError, stationRegion, stationVersion, UnknownVersionError, updateStation, type StationFeature as StationRecord,
} from '../db/stations.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError, errorBody } from '../http/errors.ts'
import { serialisedJson } from '../http/serialised-json.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'
import {
  ConflictSchema, NearestCollection, StationColumns, StationColumnsQuery, NearestQuery, RestoreBody, StationCollection, StationCreate, StationFeature, StationHistory,
  StationListQuery, StationPatch, VersionHeaders,
} from '../schemas/station.ts'

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

const columns = createRoute({
  method: 'get',
  path: '/stations/columns',
  summary: 'Stations column by column (id, name, kind, status, region, position, own radius, opening hours; amenities, address, phone, source on request): the compact form the map pages load and the rider saves for offline use; same filters as /stations, pages of up to 50 000, or the nearest `limit` to a point',
  request: { query: StationColumnsQuery },
  responses: {
    200: jsonContent(StationColumns, 'Columns; `next_cursor` when another page exists'),
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

// --- writes: every one through writeRoute (authorisation by role and region) ---

const idParams = z.object({ id: uuidParam })

/** The region of the station named in the path; null (let the route answer 400/404) when there is none. */
async function targetRegion(c: Context<AppEnv>): Promise<(string | null)[] | null> {
  const id = idParams.safeParse({ id: c.req.param('id') })
  if (!id.success) return null
  const region = await stationRegion(c.var.deps.sql, id.data.id)
  return region === undefined ? null : [region]
}

/** Where a point lies, for the scope of a write that places a station there (null: outside → 400 later). */
async function pointRegion(c: Context<AppEnv>, lon: number | undefined, lat: number | undefined): Promise<string[]> {
  if (lon === undefined || lat === undefined) return []
  const r = await regionOfPoint(c.var.deps.sql, lon, lat)
  return r ? [r.code] : []
}

const created = writeRoute(
  createRoute({
    method: 'post',
    path: '/stations',
    summary: 'Add a station (kind, name, lon, lat + optional fields); its region is the county containing the point',
    request: { body: { content: { 'application/json': { schema: StationCreate } }, required: true } },
    responses: {
      201: jsonContent(StationFeature, 'The new station (version 1, source manual); ETag: "1"'),
      400: jsonContent(ErrorSchema, 'A field broke its rule (named), or the point lies in no region'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the region of the point'),
    },
  }),
  {
    kind: 'region',
    regions: async (c) => {
      const b = await bodyAs(c, StationCreate)
      if (!b) return null
      const codes = await pointRegion(c, b.lon, b.lat)
      return codes.length ? codes : null
    },
  },
)

const patched = writeRoute(
  createRoute({
    method: 'patch',
    path: '/stations/{id}',
    summary: 'Change a station: send the version you edited (body `version` or If-Match); moving it re-derives its region',
    request: { params: idParams, headers: VersionHeaders, body: { content: { 'application/json': { schema: StationPatch } }, required: true } },
    responses: {
      200: jsonContent(StationFeature, 'The station at its new version; ETag'),
      400: jsonContent(ErrorSchema, 'A field broke its rule (named), no version was sent, or the point lies in no region'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the station’s region (or where it would move to)'),
      404: jsonContent(ErrorSchema, 'No station has this id'),
      409: jsonContent(ConflictSchema, 'The station changed since your version; `current` is how it is now'),
    },
  }),
  {
    kind: 'region',
    regions: async (c) => {
      const at = await targetRegion(c)
      if (!at) return null
      const b = await bodyAs(c, StationPatch)
      return [...at, ...(await pointRegion(c, b?.lon, b?.lat))]
    },
  },
)

const retired = writeRoute(
  createRoute({
    method: 'delete',
    path: '/stations/{id}',
    summary: 'Retire a station (status retired; never deleted, its history stays). If-Match is checked when sent',
    request: { params: idParams, headers: VersionHeaders },
    responses: {
      200: jsonContent(StationFeature, 'The retired station'),
      400: jsonContent(ErrorSchema, 'The id is not a UUID'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the station’s region'),
      404: jsonContent(ErrorSchema, 'No station has this id'),
      409: jsonContent(ConflictSchema, 'If-Match names an older version'),
    },
  }),
  { kind: 'region', regions: targetRegion },
)

const history = createRoute({
  method: 'get',
  path: '/stations/{id}/history',
  summary: 'Every write to a station, oldest first, field by field (signed-in accounts: it names who wrote)',
  middleware: [authorize({ kind: 'account' })] as const,
  request: { params: idParams },
  responses: {
    200: jsonContent(StationHistory, '{items: [{version, at, actor, action, changes: {field: [before, after]}}]}'),
    400: jsonContent(ErrorSchema, 'The id is not a UUID'),
    401: jsonContent(ErrorSchema, 'Not signed in'),
    404: jsonContent(ErrorSchema, 'No station has this id'),
  },
})

const restored = writeRoute(
  createRoute({
    method: 'post',
    path: '/stations/{id}/restore',
    summary: 'Restore an earlier version: writes a new version equal to it (If-Match checked when sent)',
    request: { params: idParams, headers: VersionHeaders, body: { content: { 'application/json': { schema: RestoreBody } }, required: true } },
    responses: {
      200: jsonContent(StationFeature, 'The station at its new version'),
      400: jsonContent(ErrorSchema, 'The body broke a rule'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the station’s region (now or in that version)'),
      404: jsonContent(ErrorSchema, 'No such station, or no such version'),
      409: jsonContent(ConflictSchema, 'If-Match names an older version'),
    },
  }),
  {
    kind: 'region',
    regions: async (c) => {
      const at = await targetRegion(c)
      const b = await bodyAs(c, RestoreBody)
      if (!at || !b) return at
      const old = await stationVersion(c.var.deps.sql, c.req.param('id')!, b.version).catch(() => null)
      return old ? [...at, old.region_code] : at
    },
  },
)

const etagVersion = (h: string | undefined) => (h === undefined ? undefined : Number(/"([0-9]+)"/.exec(h)![1]))
const etag = (f: StationRecord) => ({ ETag: `"${f.properties.version}"` })
const actorOf = (c: Context<AppEnv>) => ({ id: c.var.principal!.userId, label: actorLabel(c.var.principal!) })

/** Domain errors of a station write → the one error shape (409 carries the current station). */
function writeFailure(err: unknown): never {
  if (err instanceof OutsideRegionsError) throw new ApiError(400, 'invalid_body', `lon: ${err.message}`, [{ path: ['lon'], message: err.message }])
  if (err instanceof RegionMismatchError) throw new ApiError(400, 'invalid_body', `region_code: ${err.message}`, [{ path: ['region_code'], message: err.message }])
  if (err instanceof UnknownVersionError) throw new ApiError(404, 'not_found', `version: ${err.message}`, [{ path: ['version'], message: err.message }])
  throw err
}
const notFound = (id: string) => new ApiError(404, 'not_found', `station ${id} does not exist`)

/**
 * The answer of a station write: 200 with the station and its ETag; 404 when `write` found no such
 * station (null); 409 with the station as it is now when the version was stale; domain errors mapped.
 */
async function saved(c: Context<AppEnv>, id: string, write: () => Promise<StationRecord | null>) {
  try {
    const feature = await write()
    if (!feature) throw notFound(id)
    return c.json(feature, 200, etag(feature))
  } catch (err) {
    if (err instanceof StaleVersionError) return c.json({ ...errorBody('conflict', err.message), current: err.current }, 409)
    writeFailure(err)
  }
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
  .openapi(columns, async (c) => {
    const q = c.req.valid('query')
    const { sql } = c.var.deps
    const regionCodes = q.region ? await requireRegion(sql, q.region) : undefined
    const page = await listStationColumns(sql, {
      kinds: q.kind,
      regionCodes,
      bbox: q.bbox,
      statuses: q.status,
      limit: q.limit,
      afterId: q.cursor ? decodeCursor(q.cursor) : undefined,
      near: q.near,
      extra: q.extra,
    })
    return c.json({ ...page.columns, ...(page.more && page.lastId ? { next_cursor: encodeCursor(page.lastId) } : {}) }, 200)
  })
  .openapi(one, async (c) => {
    const { id } = c.req.valid('param')
    const feature = await getStation(c.var.deps.sql, id)
    if (!feature) throw notFound(id)
    return c.json(feature, 200, etag(feature))
  })
  .openapi(nearest, async (c) => {
    const q = c.req.valid('query')
    const query = {
      lon: q.lon,
      lat: q.lat,
      kinds: q.kind,
      limit: q.limit,
      openAt: q.open_at === undefined ? undefined : q.open_at === 'now' ? new Date() : new Date(q.open_at),
      amenities: q.amenity,
      maxDistance: q.max_distance_m,
    }
    // the in-memory index unless PostGIS KNN is asked for, the server runs without the index, or it
    // is still loading (the same answers either way; the header says which)
    const index = q.engine === 'knn' || !c.var.deps.nearest?.ready ? undefined : c.var.deps.nearest
    c.header('X-Nearest-Engine', index ? 'memory' : 'knn')
    // from memory the body is assembled from text serialised at load, byte for byte what c.json makes below
    if (index) return serialisedJson<z.infer<typeof NearestCollection>>(c, await index.queryJson(query))
    const features = await nearestStations(c.var.deps.sql, query, c.req.raw.signal)
    return c.json({ type: 'FeatureCollection' as const, features }, 200)
  })
  .openapi(created, async (c) => {
    const b = c.req.valid('json')
    try {
      const feature = await insertStation(c.var.deps.sql, b, actorOf(c))
      return c.json(feature, 201, etag(feature))
    } catch (err) {
      writeFailure(err)
    }
  })
  .openapi(patched, async (c) => {
    const { id } = c.req.valid('param')
    const { version, ...fields } = c.req.valid('json')
    const ifMatch = etagVersion(c.req.valid('header')['if-match'])
    if (version === undefined && ifMatch === undefined) {
      const message = 'required: the version you edited (properties.version from GET), in the body or as If-Match: "<version>"'
      throw new ApiError(400, 'invalid_body', `version: ${message}`, [{ path: ['version'], message }])
    }
    if (version !== undefined && ifMatch !== undefined && version !== ifMatch) {
      const message = `body version ${version} and If-Match ${ifMatch} disagree: send one`
      throw new ApiError(400, 'invalid_body', `version: ${message}`, [{ path: ['version'], message }])
    }
    return saved(c, id, () => updateStation(c.var.deps.sql, id, { expectedVersion: version ?? ifMatch, fields, action: 'update', actor: actorOf(c) }))
  })
  .openapi(retired, async (c) => {
    const { id } = c.req.valid('param')
    return saved(c, id, () =>
      updateStation(c.var.deps.sql, id, { expectedVersion: etagVersion(c.req.valid('header')['if-match']), fields: { status: 'retired' }, action: 'retire', actor: actorOf(c) }),
    )
  })
  .openapi(history, async (c) => {
    const { id } = c.req.valid('param')
    const { sql } = c.var.deps
    if ((await stationRegion(sql, id)) === undefined) throw notFound(id)
    return c.json({ items: await historyOf(sql, 'station', id) }, 200)
  })
  .openapi(restored, async (c) => {
    const { id } = c.req.valid('param')
    const { version } = c.req.valid('json')
    const { sql } = c.var.deps
    return saved(c, id, async () => {
      const current = await getStation(sql, id)
      if (!current) return null
      // A station never edited has no recorded versions yet; restoring its current version changes nothing.
      if (version === current.properties.version && !(await stationVersion(sql, id, version).catch(() => null))) return current
      const { kind, name, address, lon, lat, opening_hours, amenities, phone, operator, capacity, status, radius_m } = await stationVersion(sql, id, version)
      const fields = { kind, name, address, lon, lat, opening_hours, amenities, phone, operator, capacity, status, radius_m }
      return updateStation(sql, id, { expectedVersion: etagVersion(c.req.valid('header')['if-match']), fields, action: 'restore', actor: actorOf(c) })
    })
  })
