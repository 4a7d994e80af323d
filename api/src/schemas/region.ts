import { z } from '@hono/zod-openapi'
import { STATION_KINDS, type StationKind } from '../core/station-kinds.ts'
import { regionCode } from './common.ts'

export const RegionFeature = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.tuple([z.number(), z.number()])))) }),
    properties: z.object({
      code: z.string(),
      name: z.string(),
      name_en: z.string(),
      level: z.enum(['province', 'city', 'county']),
      parent_code: z.string().nullable(),
      focus: z.boolean(),
      label_lon: z.number().nullable(),
      label_lat: z.number().nullable(),
      station_count: z.number().int().openapi({ description: 'Active and planned stations in the region (a city counts its counties)' }),
    }),
  })
  .openapi('Region')

export const RegionListQuery = z.object({
  region: regionCode.optional().openapi({ description: 'Only this region and, for a city, its counties (full outlines of one place)' }),
})

const kindCounts = z.object(Object.fromEntries(STATION_KINDS.map((k) => [k, z.number().int().optional()])) as Record<StationKind, z.ZodOptional<z.ZodNumber>>)

export const RegionSummaryFeature = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).openapi({ description: 'RFC 7946 bbox of the outline: west, south, east, north' }),
    geometry: z.null().openapi({ description: 'Outlines come from /api/tiles/regions (simplified per zoom) or /api/regions' }),
    properties: RegionFeature.shape.properties.extend({
      own_station_counts: kindCounts.openapi({ description: 'Planned and active stations coded to this region itself (not its counties), per kind; kinds with none are left out' }),
      own_demo_count: z.number().int().openapi({ description: 'How many of those are demo data (示例数据: source demo or demo-scale)' }),
    }),
  })
  .openapi('RegionSummary')

export const RegionSummaryCollection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(RegionSummaryFeature) })
  .openapi('RegionSummaryCollection')

export const RegionCollection = z
  .object({ type: z.literal('FeatureCollection'), features: z.array(RegionFeature) })
  .openapi('RegionCollection')

/** A region as it is loaded from data/regions.geojson. */
export const RegionInput = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) }),
  properties: z.object({
    code: z.string().regex(/^[0-9]{6}$/),
    name: z.string().min(1),
    name_en: z.string().min(1),
    level: z.enum(['province', 'city', 'county']),
    parent_code: z.string().regex(/^[0-9]{6}$/).nullable().optional(),
    focus: z.boolean().default(false),
    label_lon: z.number().nullable().optional(),
    label_lat: z.number().nullable().optional(),
  }),
})
