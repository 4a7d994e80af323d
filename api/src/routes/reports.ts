import { createHash, randomBytes } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { requireRegion } from '../db/regions.ts'
import { insertReport, listReports, setReportStatus } from '../db/reports.ts'
import type { AppDeps, AppEnv } from '../http/env.ts'
import { ApiError, errorBody } from '../http/errors.ts'
import { RateLimiter } from '../http/rate-limit.ts'
import { jsonContent, router } from '../http/router.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'
import { ReportCollection, ReportFeature, ReportInput, ReportListQuery, ReportPatch } from '../schemas/report.ts'

/** 5 reports per 10 minutes per client: a rider on a round reports a few stops, not dozens. */
export const REPORT_LIMIT = { max: 5, windowMs: 10 * 60_000 }

// One limiter per app instance (each test file starts its own app), without touching AppDeps.
const limiters = new WeakMap<AppDeps, RateLimiter>()
function limiterFor(deps: AppDeps): RateLimiter {
  let l = limiters.get(deps)
  if (!l) limiters.set(deps, (l = new RateLimiter(REPORT_LIMIT.max, REPORT_LIMIT.windowMs)))
  return l
}

// A salt that lives only as long as the process: stored keys can be compared within a day's
// reports but not turned back into an address.
const SALT = randomBytes(16).toString('hex')

/**
 * Who is reporting, as a hash. Socket address + User-Agent: riders on mobile data share addresses
 * behind carrier-grade NAT, so the address alone would make them share one limit.
 */
function clientKey(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  const address = incoming?.socket?.remoteAddress ?? 'local'
  const agent = c.req.header('user-agent') ?? ''
  return createHash('sha256').update(`${SALT}|${address}|${agent}`).digest('hex').slice(0, 32)
}

const create = createRoute({
  method: 'post',
  path: '/stations/{id}/reports',
  summary: 'Report a problem at a station (closed, no water, moved, …)',
  request: {
    params: z.object({ id: uuidParam }),
    body: { content: { 'application/json': { schema: ReportInput } }, required: true },
  },
  responses: {
    201: jsonContent(ReportFeature, 'The stored report'),
    400: jsonContent(ErrorSchema, 'The body or id broke its rule'),
    404: jsonContent(ErrorSchema, 'No station has this id'),
    429: jsonContent(ErrorSchema, `More than ${REPORT_LIMIT.max} reports in ${REPORT_LIMIT.windowMs / 60_000} minutes from this client; see Retry-After`),
  },
})

const list = createRoute({
  method: 'get',
  path: '/reports',
  summary: 'Problem reports for editors, newest first (no authentication yet)',
  request: { query: ReportListQuery },
  responses: {
    200: jsonContent(ReportCollection, 'FeatureCollection; geometry is where the reporter stood, or null'),
    400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
    404: jsonContent(ErrorSchema, 'Unknown region'),
  },
})

const patch = createRoute({
  method: 'patch',
  path: '/reports/{id}',
  summary: 'Mark a report resolved (or open again)',
  request: {
    params: z.object({ id: uuidParam }),
    body: { content: { 'application/json': { schema: ReportPatch } }, required: true },
  },
  responses: {
    200: jsonContent(ReportFeature, 'The updated report'),
    400: jsonContent(ErrorSchema, 'The body or id broke its rule'),
    404: jsonContent(ErrorSchema, 'No report has this id'),
  },
})

export const reportRoutes = router()
  .openapi(create, async (c) => {
    const { id } = c.req.valid('param')
    const body = c.req.valid('json')
    const client = clientKey(c)
    const limit = limiterFor(c.var.deps).take(client)
    if (!limit.ok) {
      const message = `too many reports: at most ${REPORT_LIMIT.max} in ${REPORT_LIMIT.windowMs / 60_000} minutes from one client; try again in ${limit.retryAfterS} s (Retry-After)`
      return c.json(errorBody('rate_limited', message), 429, { 'Retry-After': String(limit.retryAfterS) })
    }
    const report = await insertReport(c.var.deps.sql, { stationId: id, ...body, clientKey: client })
    if (!report) throw new ApiError(404, 'not_found', `station ${id} does not exist`)
    return c.json(report, 201)
  })
  .openapi(list, async (c) => {
    const q = c.req.valid('query')
    let regionCodes: string[] | undefined
    if (q.region) {
      regionCodes = await requireRegion(c.var.deps.sql, q.region)
    }
    const features = await listReports(c.var.deps.sql, { regionCodes, status: q.status, limit: q.limit })
    return c.json({ type: 'FeatureCollection' as const, features }, 200)
  })
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const { status } = c.req.valid('json')
    const report = await setReportStatus(c.var.deps.sql, id, status)
    if (!report) throw new ApiError(404, 'not_found', `report ${id} does not exist`)
    return c.json(report, 200)
  })
