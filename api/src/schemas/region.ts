import { z } from '@hono/zod-openapi'

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
