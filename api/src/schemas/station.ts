import { z } from '@hono/zod-openapi'
import { AMENITIES, STATION_KINDS, STATION_SOURCES, STATION_STATUSES } from '../core/station-kinds.ts'
import { openingHoursProblem } from '../core/opening-hours-problem.ts'
import { PointGeometry, amenitiesParam, bboxParam, bodyLat, bodyLon, csvEnum, decimal, kindsParam, lat, latParam, lon, lonParam, regionCode, statusesParam, text } from './common.ts'

/** A station's fields as the API returns them in `Feature.properties`. */
export const StationProperties = z
  .object({
    id: z.uuid(),
    external_id: z.string().nullable(),
    kind: z.enum(STATION_KINDS),
    name: z.string(),
    region_code: z.string().nullable(),
    address: z.string().nullable(),
    opening_hours: z.string().nullable().openapi({ description: 'OpenStreetMap opening_hours syntax, evaluated in Asia/Shanghai' }),
    amenities: z.array(z.enum(AMENITIES)),
    phone: z.string().nullable(),
    operator: z.string().nullable(),
    capacity: z.number().int().nullable(),
    status: z.enum(STATION_STATUSES),
    radius_m: z.number().nullable().openapi({ description: "The station's own coverage radius, or null for its kind's default" }),
    coverage_radius_m: z.number().openapi({ description: 'The radius in use: radius_m or the kind default, metres' }),
    source: z.enum(STATION_SOURCES),
    version: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('StationProperties')

export const StationFeature = z
  .object({ type: z.literal('Feature'), id: z.uuid(), geometry: PointGeometry, properties: StationProperties })
  .openapi('Station')

export const StationCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(StationFeature),
    next_cursor: z.string().optional().openapi({ description: 'Pass as `cursor` to get the next page' }),
  })
  .openapi('StationCollection')

export const StationListQuery = z.object({
  kind: kindsParam.optional(),
  region: regionCode.optional().openapi({ description: 'A county, or a city (includes its counties)' }),
  bbox: bboxParam.optional(),
  status: statusesParam.optional().openapi({ description: 'Default: planned,active (retired only when asked)' }),
  limit: decimal(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(10000, 'must be ≤ 10000').default(1000)).openapi({ type: 'integer', minimum: 1, maximum: 10000, default: 1000 }),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a next_cursor value from a previous page').optional(),
})

/** Extra columns `/stations/columns` sends when asked (`extra=`): what the rider page shows on a stop's card. */
export const COLUMN_EXTRAS = ['amenities', 'address', 'phone', 'source'] as const
export type ColumnExtra = (typeof COLUMN_EXTRAS)[number]

/** `lon,lat` in WGS-84 degrees. */
const nearParam = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',')
    const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)))
    if (parts.length !== 2 || nums.some((n) => !Number.isFinite(n))) {
      ctx.addIssue({ code: 'custom', message: 'must be two numbers lon,lat (WGS-84 degrees)' })
      return z.NEVER
    }
    const [x, y] = nums as [number, number]
    if (x < -180 || x > 180 || y < -90 || y > 90) {
      ctx.addIssue({ code: 'custom', message: 'lon must be within -180…180 and lat within -90…90' })
      return z.NEVER
    }
    return [x, y] as [number, number]
  })
  .openapi({ type: 'string', example: '116.31,35.07', description: 'lon,lat in WGS-84 degrees' })

/** `/stations/columns`: the list filters, with pages of up to 50 000 stations (default 20 000). */
export const StationColumnsQuery = StationListQuery.extend({
  limit: decimal(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(50_000, 'must be ≤ 50000').default(20_000)).openapi({ type: 'integer', minimum: 1, maximum: 50_000, default: 20_000 }),
  near: nearParam.optional().openapi({
    description: 'Only the `limit` stations nearest to this point (great-circle, GiST KNN), nearest first, in one page (no `cursor`); `truncated` says whether more matched. The rider keeps such a page per county for offline use.',
  }),
  extra: csvEnum(COLUMN_EXTRAS, 'extra column').optional().openapi({ description: `Extra columns, any of: ${COLUMN_EXTRAS.join(', ')}` }),
}).superRefine((q, ctx) => {
  if (q.near && q.cursor) ctx.addIssue({ code: 'custom', path: ['cursor'], message: 'cannot be combined with near (a near page is the only page)' })
})

/**
 * Stations column by column, only what a map page computes with (the planner's plan tab and the
 * tour; the rider adds `extra` columns): ~1/10 of the GeoJSON's bytes. Row i of every column is one
 * station, in id order (with `near`: nearest first).
 */
export const StationColumns = z
  .object({
    count: z.number().int().openapi({ description: 'Stations in this page (the length of every column)' }),
    id: z.array(z.uuid()),
    name: z.array(z.string()),
    kind: z.array(z.number().int()).openapi({ description: 'Index into `kinds`' }),
    status: z.array(z.number().int()).openapi({ description: 'Index into `statuses`' }),
    region: z.array(z.number().int()).openapi({ description: 'Index into `regions`; -1: none' }),
    lon: z.array(z.number().int()).openapi({ description: 'Longitude in micro-degrees (10^-6°, ≈ 0.1 m), each the difference from the previous row (the first from 0)' }),
    lat: z.array(z.number().int()).openapi({ description: 'Latitude, encoded as `lon`' }),
    radius_m: z.array(z.number()).openapi({ description: "The station's own radius in metres; 0: its kind's default" }),
    hours: z.array(z.number().int()).openapi({ description: 'Index into `opening_hours`; -1: none' }),
    kinds: z.array(z.enum(STATION_KINDS)),
    statuses: z.array(z.enum(STATION_STATUSES)),
    regions: z.array(z.string()),
    opening_hours: z.array(z.string()).openapi({ description: 'The distinct opening_hours of the page (OSM syntax)' }),
    amenities: z.array(z.number().int()).optional().openapi({ description: '(extra=amenities) Bit i set: the station has `amenity_names[i]`' }),
    amenity_names: z.array(z.enum(AMENITIES)).optional(),
    address: z.array(z.string().nullable()).optional().openapi({ description: '(extra=address)' }),
    phone: z.array(z.string().nullable()).optional().openapi({ description: '(extra=phone)' }),
    source: z.array(z.number().int()).optional().openapi({ description: '(extra=source) Index into `sources`' }),
    sources: z.array(z.enum(STATION_SOURCES)).optional(),
    truncated: z.boolean().optional().openapi({ description: '(near) More stations matched than `limit`: this page holds the nearest of them' }),
    next_cursor: z.string().optional().openapi({ description: 'Pass as `cursor` to get the next page' }),
  })
  .openapi('StationColumns')

export const NearestQuery = z.object({
  lon: lonParam,
  lat: latParam,
  kind: kindsParam.optional(),
  limit: decimal(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(100, 'must be ≤ 100').default(5)).openapi({ type: 'integer', minimum: 1, maximum: 100, default: 5 }),
  open_at: z
    .union([z.literal('now'), z.iso.datetime({ offset: true, message: 'must be "now" or an ISO 8601 date-time with offset, e.g. 2026-11-26T22:00:00+08:00' })])
    .optional()
    .openapi({ description: 'Only stations open at this time (Asia/Shanghai); stations with unknown hours are left out' }),
  amenity: amenitiesParam.optional().openapi({ description: 'Only stations that have all of these' }),
  max_distance_m: decimal(z.number().positive('must be > 0').max(500_000, 'must be ≤ 500000').optional()).openapi({ type: 'number', exclusiveMinimum: 0, maximum: 500_000 }),
  engine: z.enum(['memory', 'knn'], 'must be memory or knn').optional().openapi({
    description: 'Which search answers (for benchmarks; the answers are the same): `memory`, the in-memory index (default; PostGIS KNN answers while the index is still loading after start-up), or `knn`, PostGIS KNN. The response header X-Nearest-Engine says which did.',
  }),
})

export const NearestFeature = StationFeature.extend({
  properties: StationProperties.extend({
    distance_m: z.number().openapi({ description: 'Great-circle distance on the sphere (R = 6371008.8 m)' }),
    bearing_deg: z.number().openapi({ description: 'Initial bearing from the query point, degrees clockwise from north' }),
    open: z.boolean().nullable().optional().openapi({ description: 'Open at `open_at` (when given)' }),
  }),
}).openapi('NearestStation')

export const NearestCollection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(NearestFeature) })
  .openapi('NearestCollection')

/** A station as it is loaded (demo file, imports): WGS-84 point + fields, validated before any write. */
export const StationInput = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([lon, lat]) }),
  properties: z.object({
    external_id: z.string().min(1).max(200).nullable().optional(),
    kind: z.enum(STATION_KINDS),
    name: z.string().min(1).max(200),
    region_code: regionCode.nullable().optional(),
    address: z.string().max(500).nullable().optional(),
    opening_hours: z.string().max(500).nullable().optional(),
    amenities: z.array(z.enum(AMENITIES)).default([]),
    phone: z.string().max(50).nullable().optional(),
    operator: z.string().max(200).nullable().optional(),
    capacity: z.number().int().min(0).nullable().optional(),
    status: z.enum(STATION_STATUSES).default('active'),
    radius_m: z.number().int().positive().max(50000).nullable().optional(),
    source: z.enum(STATION_SOURCES),
  }),
})
export type StationInput = z.infer<typeof StationInput>

// --- writes (issue 11): the fields of §3 with the same rules as StationInput, strict, no NUL ---


const openingHours = text(500).superRefine((v, ctx) => {
  const problem = openingHoursProblem(v)
  if (problem) ctx.addIssue({ code: 'custom', message: `does not parse as OpenStreetMap opening_hours: ${problem}` })
})

/** The editable fields; `lon`/`lat` move the station and re-derive its region. */
const writableFields = {
  kind: z.enum(STATION_KINDS, { message: `must be one of: ${STATION_KINDS.join(', ')}` }),
  name: text(200).pipe(z.string().trim().min(1, 'must not be empty')),
  lon: bodyLon,
  lat: bodyLat,
  region_code: regionCode.optional().openapi({ description: 'Derived from lon/lat (PostGIS); when given it must agree' }),
  address: text(500).nullable().optional(),
  opening_hours: openingHours.nullable().optional(),
  amenities: z.array(z.enum(AMENITIES, { message: `must be one of: ${AMENITIES.join(', ')}` })).max(AMENITIES.length).optional(),
  phone: text(50).nullable().optional(),
  operator: text(200).nullable().optional(),
  capacity: z.number().int('must be a whole number').min(0, 'must be ≥ 0').max(1_000_000, 'must be ≤ 1000000').nullable().optional(),
  status: z.enum(STATION_STATUSES, { message: `must be one of: ${STATION_STATUSES.join(', ')}` }).optional(),
  radius_m: z.number().int('must be a whole number').positive('must be > 0').max(50000, 'must be ≤ 50000').nullable().optional(),
}

const bothOrNeither = (b: { lon?: number; lat?: number }) => (b.lon === undefined) === (b.lat === undefined)

/** POST /stations: kind, name, lon, lat + optional fields; the region comes from the point. */
export const StationCreate = z.object(writableFields).strict().openapi('StationCreate')
export type StationCreate = z.infer<typeof StationCreate>

/** PATCH /stations/{id}: any fields, plus the version they were edited from (or If-Match). */
export const StationPatch = z
  .object({
    ...Object.fromEntries(Object.entries(writableFields).map(([k, v]) => [k, v.optional()])) as { [K in keyof typeof writableFields]: z.ZodOptional<(typeof writableFields)[K]> },
    version: z.number().int('must be a whole number').min(1, 'must be ≥ 1').optional().openapi({ description: 'properties.version of the station you edited; or send If-Match: "<version>"' }),
  })
  .strict()
  .refine(bothOrNeither, { message: 'give both lon and lat, or neither', path: ['lon'] })
  .openapi('StationPatch')
export type StationPatch = z.infer<typeof StationPatch>

export const VersionHeaders = z.object({
  'if-match': z
    .string()
    .regex(/^(W\/)?"[0-9]{1,9}"$/, 'must be the ETag of the station, e.g. "3"')
    .optional()
    .openapi({ description: 'The ETag ("<version>") the write is based on' }),
})

export const RestoreBody = z
  .object({ version: z.number().int('must be a whole number').min(1, 'must be ≥ 1') })
  .strict()
  .openapi('StationRestore')

export const ConflictSchema = z
  .object({
    error: z.object({ code: z.string().openapi({ example: 'conflict' }), message: z.string() }),
    current: StationFeature.openapi({ description: 'The station as it is now: merge your edit into it and send its version' }),
  })
  .openapi('StationConflict')

export const StationHistory = z
  .object({
    items: z.array(
      z.object({
        version: z.number().int().nullable(),
        at: z.string(),
        actor: z.string(),
        action: z.string(),
        changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).openapi({ description: '{ field: [before, after] }' }),
      }),
    ),
  })
  .openapi('StationHistory')
