import { z } from '@hono/zod-openapi'
import { decimal, NO_NUL_MESSAGE, noNul, PointGeometry, regionCode, uuidParam } from './common.ts'

import { REPORT_PROBLEMS, REPORT_STATUSES } from '../core/report-problems.ts'

export { REPORT_PROBLEMS, REPORT_STATUSES, type ReportProblem, type ReportStatus } from '../core/report-problems.ts'

/** What a rider sends. lon and lat come together or not at all (WGS-84, from the phone). */
export const ReportInput = z
  .object({
    problem: z.enum(REPORT_PROBLEMS, { message: `must be one of: ${REPORT_PROBLEMS.join(', ')}` }),
    note: z.string().trim().max(500, 'must be at most 500 characters').refine(noNul, NO_NUL_MESSAGE).default(''),
    lon: z.number().min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180').optional(),
    lat: z.number().min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90').optional(),
  })
  .strict()
  .refine((r) => (r.lon === undefined) === (r.lat === undefined), { message: 'give both lon and lat, or neither', path: ['lon'] })
  .openapi('ReportInput')
export type ReportInput = z.infer<typeof ReportInput>

export const ReportProperties = z
  .object({
    id: z.uuid(),
    station_id: z.uuid(),
    station_name: z.string(),
    station_kind: z.string(),
    region_code: z.string().nullable(),
    problem: z.enum(REPORT_PROBLEMS),
    note: z.string(),
    status: z.enum(REPORT_STATUSES),
    created_at: z.string(),
    resolved_at: z.string().nullable(),
  })
  .openapi('ReportProperties')

/** A report as a Feature: geometry is where the reporter stood — shown only to editors of its region — or null. */
export const ReportFeature = z
  .object({ type: z.literal('Feature'), id: z.uuid(), geometry: PointGeometry.nullable(), properties: ReportProperties })
  .openapi('Report')

export const ReportCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(ReportFeature),
    next_cursor: z.string().optional().openapi({ description: 'Pass as `cursor` to get the next (older) page' }),
  })
  .openapi('ReportCollection')

export const ReportListQuery = z.object({
  region: regionCode.optional().openapi({ description: "The station's county, or a city (includes its counties)" }),
  status: z.enum(REPORT_STATUSES, { message: 'must be open or resolved' }).optional(),
  limit: decimal(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(1000, 'must be ≤ 1000').default(200)).openapi({ type: 'integer', minimum: 1, maximum: 1000, default: 200 }),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, 'must be a next_cursor value from a previous page').optional(),
})

export const ReportPatch = z
  .object({ status: z.enum(REPORT_STATUSES, { message: 'must be open or resolved' }) })
  .strict()
  .openapi('ReportPatch')

export const reportIdParam = uuidParam
