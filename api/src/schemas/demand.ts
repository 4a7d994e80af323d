import { z } from '@hono/zod-openapi'
import { isValidCell } from 'h3-js'
import { decimal, PointGeometry, regionCode } from './common.ts'

// ---------------------------------------------------------------- inputs (files, CLI rows)

/** A layer id: lower-case letters, digits, `_` and `-` (it appears in URLs and file names). */
export const layerId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1–63 lower-case letters, digits, "_" or "-", e.g. population')
  .openapi({ example: 'population' })

/** The metadata of one demand layer, as data/demand/layers.json and load-demand give it. */
export const DemandLayerMeta = z.object({
  id: layerId,
  name: z.string().min(1).max(200),
  name_en: z.string().min(1).max(200),
  unit: z.string().min(1).max(50),
  unit_en: z.string().min(1).max(100),
  source: z.string().min(1).max(2000),
  /** the licence a real layer is published under (WorldPop: CC BY 4.0); null when not stated */
  licence: z.string().min(1).max(500).nullish().transform((s) => s ?? null),
  modelled: z.boolean(),
  demo: z.boolean(),
  kind: z.enum(['h3', 'point']),
  resolution: z.number().int().min(0).max(15),
})
export type DemandLayerMeta = z.infer<typeof DemandLayerMeta>

/** data/demand/layers.json: each layer's metadata and its file (relative to the manifest). */
export const DemandManifest = z.array(DemandLayerMeta.extend({ file: z.string().min(1) }))

const h3Cell = z.string().refine((h) => isValidCell(h), 'must be a valid H3 cell index, e.g. 8912e4a8d4bffff')
/** weight > 0 and finite: a zero or negative demand is a data error, not a value. */
const weight = z.coerce.number().refine((w) => Number.isFinite(w) && w > 0, 'must be a number > 0')
const optionalName = z.string().max(200).nullish().transform((s) => (s ? s : null))

/** One row of an H3 demand file (`h3,weight[,region_code]`). */
export const DemandCellRow = z.object({
  h3: h3Cell,
  weight,
  region_code: regionCode.nullish().transform((s) => s ?? null),
})
export type DemandCellRow = z.infer<typeof DemandCellRow>

/** One row of a point demand CSV (`lon,lat,weight[,name]`), in the file's coordinate system. */
export const DemandPointRow = z.object({
  lon: z.coerce.number().min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180'),
  lat: z.coerce.number().min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90'),
  weight,
  name: optionalName,
})
export type DemandPointRow = z.infer<typeof DemandPointRow>

/** One feature of a point demand GeoJSON file: properties.weight required, name and region_code optional. */
export const DemandPointFeature = z.object({
  type: z.literal('Feature'),
  geometry: PointGeometry,
  properties: z.object({
    weight,
    name: optionalName,
    region_code: regionCode.nullish().transform((s) => s ?? null),
  }).loose(),
})

// ---------------------------------------------------------------- API

export const DemandQuery = z.object({
  layer: layerId.optional().openapi({ description: "Demand layer id (see /demand/layers); default: the region's default layer, else population — as on /coverage, /gaps and /siting" }),
  region: regionCode.openapi({
    param: { required: true },
    description: 'GB/T 2260 code of a county, or of a city (then all its counties)',
  }),
  resolution: decimal(z.number().int('must be an integer').min(5, 'must be ≥ 5').max(9, 'must be ≤ 9').optional())
    .openapi({ type: 'integer', description: 'H3 resolution 5–9 to aggregate cells to; default 9 for a county, 8 for a city (never finer than the layer)' }),
})

export const DemandLayerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    name_en: z.string(),
    unit: z.string(),
    unit_en: z.string(),
    source: z.string(),
    licence: z.string().nullable().openapi({ description: 'The licence the data is published under, when its source states one' }),
    modelled: z.boolean(),
    demo: z.boolean(),
    kind: z.enum(['h3', 'point']),
    resolution: z.number().int().openapi({ description: 'H3 resolution the layer is stored at' }),
    origin: z.enum(['bundled', 'user']),
    loaded_at: z.string(),
  })
  .openapi('DemandLayer')

export const DemandFeature = z
  .object({
    type: z.literal('Feature'),
    geometry: PointGeometry.openapi({ description: 'The cell centre (h3 layers) or the point, WGS-84' }),
    properties: z.object({
      h3: z.string(),
      weight: z.number().openapi({ description: "In the layer's unit, > 0" }),
      region_code: z.string().nullable(),
      name: z.string().nullable().optional(),
    }),
  })
  .openapi('DemandFeature')

export const DemandCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    layer: DemandLayerSchema.extend({
      resolution: z.number().int().openapi({ description: 'H3 resolution of the features returned' }),
      stored_resolution: z.number().int(),
    }),
    features: z.array(DemandFeature),
  })
  .openapi('DemandCollection')

export const DemandLayerList = z
  .object({
    layers: z.array(DemandLayerSchema.extend({ item_count: z.number().int(), total_weight: z.number() })),
    defaults: z.record(z.string(), z.string()).openapi({ description: "County code → the layer a planner made that county's default (counties absent use population)" }),
  })
  .openapi('DemandLayerList')
