import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { writeRoute } from '../auth/authorize.ts'
import { clientAddress, clientKey } from '../auth/client-address.ts'
import { DEFAULT_AUTH } from '../auth/config.ts'
import { actorLabel, mayWriteIn } from '../auth/principal.ts'
import { clientSalt } from '../db/rate-limit.ts'
import { requireRegion } from '../db/regions.ts'
import { insertReport, listReports, reportRegion, setReportStatus } from '../db/reports.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError, errorBody } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'
import { ReportCollection, ReportFeature, ReportInput, ReportListQuery, ReportPatch } from '../schemas/report.ts'

/** 5 reports per 10 minutes per client: a rider on a round reports a few stops, not dozens. */
export const REPORT_LIMIT = { max: 5, windowMs: 10 * 60_000 }

const idParams = z.object({ id: uuidParam })

/**
 * Who is reporting, as a salted hash of the client address only (the socket peer, or with
 * TRUST_PROXY the proxy's X-Forwarded-For): a changed User-Agent is the same client. The salt lives
 * in the database, so the quota survives restarts and is shared by every API process.
 */
async function reporterKey(c: Context<AppEnv>): Promise<string> {
  const auth = c.var.deps.auth ?? DEFAULT_AUTH
  return clientKey(await clientSalt(c.var.deps.sql), clientAddress(c, auth.trustProxy))
}

// Cursor = base64url of "<created_at to the microsecond>|<id>" of the page's last report.
const encodeCursor = (k: { at: string; id: string }) => Buffer.from(`${k.at}|${k.id}`).toString('base64url')
function decodeCursor(cursor: string): { at: string; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString().split('|')
  if (!at || !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}$/.test(at) || !z.uuid().safeParse(id).success) {
    throw new ApiError(400, 'invalid_query', 'cursor: must be a next_cursor value from a previous page', [
      { path: ['cursor'], message: 'must be a next_cursor value from a previous page' },
    ])
  }
  return { at, id: id! }
}

const create = createRoute({
  method: 'post',
  path: '/stations/{id}/reports',
  summary: 'Report a problem at a station (closed, no water, moved, …); no account needed',
  request: {
    params: idParams,
    body: { content: { 'application/json': { schema: ReportInput } }, required: true },
  },
  responses: {
    201: jsonContent(ReportFeature, 'The stored report'),
    400: jsonContent(ErrorSchema, 'The body or id broke its rule'),
    404: jsonContent(ErrorSchema, 'No station has this id (uses up no quota)'),
    429: jsonContent(ErrorSchema, `More than ${REPORT_LIMIT.max} reports in ${REPORT_LIMIT.windowMs / 60_000} minutes from this client address; see Retry-After`),
  },
})

const list = createRoute({
  method: 'get',
  path: '/reports',
  summary: 'Problem reports, newest first, paged by cursor; where the reporter stood is shown only to editors of the region',
  request: { query: ReportListQuery },
  responses: {
    200: jsonContent(ReportCollection, 'FeatureCollection; geometry is where the reporter stood (editors of the region only), else null; `next_cursor` when another page exists'),
    400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
    404: jsonContent(ErrorSchema, 'Unknown region'),
  },
})

const patch = writeRoute(
  createRoute({
    method: 'patch',
    path: '/reports/{id}',
    summary: 'Mark a report resolved (or open again): editors of the station’s region',
    request: {
      params: idParams,
      body: { content: { 'application/json': { schema: ReportPatch } }, required: true },
    },
    responses: {
      200: jsonContent(ReportFeature, 'The updated report'),
      400: jsonContent(ErrorSchema, 'The body or id broke its rule'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the station’s region'),
      404: jsonContent(ErrorSchema, 'No report has this id'),
    },
  }),
  {
    kind: 'region',
    regions: async (c) => {
      const id = idParams.safeParse({ id: c.req.param('id') })
      const region = id.success ? await reportRegion(c.var.deps.sql, id.data.id) : undefined
      return region === undefined ? null : [region]
    },
  },
)

export const reportRoutes = router()
  .openapi(create, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const { limited, report } = await insertReport(c.var.deps.sql, { stationId: id, ...body, clientKey: await reporterKey(c) }, REPORT_LIMIT)
    if (limited) {
      const message = `too many reports: at most ${REPORT_LIMIT.max} in ${REPORT_LIMIT.windowMs / 60_000} minutes from one client; try again in ${limited.retryAfterS} s (Retry-After)`
      return c.json(errorBody('rate_limited', message), 429, { 'Retry-After': String(limited.retryAfterS) })
    }
    if (!report) throw new ApiError(404, 'not_found', `station ${id} does not exist`)
    return c.json(report, 201)
  })
  .openapi(list, async (c) => {
    const q = c.req.valid('query')
    const regionCodes = q.region ? await requireRegion(c.var.deps.sql, q.region) : undefined
    const page = await listReports(c.var.deps.sql, { regionCodes, status: q.status, limit: q.limit, after: q.cursor ? decodeCursor(q.cursor) : undefined })
    const p = c.var.principal
    // Where a rider stood is personal: only editors of the station's region (and admins) see it.
    const features = page.features.map((f) => (p && mayWriteIn(p, [f.properties.region_code]) ? f : { ...f, geometry: null }))
    return c.json({ type: 'FeatureCollection' as const, features, ...(page.next ? { next_cursor: encodeCursor(page.next) } : {}) }, 200)
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const { status } = c.req.valid('json')
    const p = c.var.principal!
    const report = await setReportStatus(c.var.deps.sql, id, status, { id: p.userId, label: actorLabel(p) })
    if (!report) throw new ApiError(404, 'not_found', `report ${id} does not exist`)
    return c.json(report, 200)
  })
