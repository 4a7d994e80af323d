import { z } from '@hono/zod-openapi'
import { AMENITIES, STATION_KINDS, STATION_SOURCES, STATION_STATUSES } from '../core/station-kinds.ts'
import { PointGeometry, amenitiesParam, bboxParam, kindsParam, lat, latParam, lon, lonParam, regionCode, statusesParam } from './common.ts'

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
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(10000, 'must be ≤ 10000').default(1000),
  cursor: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a next_cursor value from a previous page').optional(),
})

export const NearestQuery = z.object({
  lon: lonParam,
  lat: latParam,
  kind: kindsParam.optional(),
  limit: z.coerce.number().int('must be a whole number').min(1, 'must be ≥ 1').max(100, 'must be ≤ 100').default(5),
  open_at: z
    .union([z.literal('now'), z.iso.datetime({ offset: true, message: 'must be "now" or an ISO 8601 date-time with offset, e.g. 2026-11-26T22:00:00+08:00' })])
    .optional()
    .openapi({ description: 'Only stations open at this time (Asia/Shanghai); stations with unknown hours are left out' }),
  amenity: amenitiesParam.optional().openapi({ description: 'Only stations that have all of these' }),
  max_distance_m: z.coerce.number().positive('must be > 0').max(500_000, 'must be ≤ 500000').optional(),
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
