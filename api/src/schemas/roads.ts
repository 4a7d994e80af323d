import { z } from '@hono/zod-openapi'
import { TRAVEL_MODES } from '../core/road-types.ts'
import { PLACE_CLASSES } from '../core/osm-places.ts'
import { decimal, regionCode, text } from './common.ts'

export const modeParam = z
  .enum(TRAVEL_MODES, { message: `must be one of: ${TRAVEL_MODES.join(', ')}` })
  .default('ebike')
  .openapi({ description: 'ebike (speeds capped at 25 km/h) or foot (4.8 km/h)', example: 'ebike' })

export const minutesParam = decimal(z.number({ message: 'must be a number of minutes' }).gt(0, 'must be > 0').max(60, 'must be ≤ 60').default(5))
  .openapi({ type: 'number', description: 'travel time in minutes (0 < minutes ≤ 60, default 5)', example: 5 })

/** `?mode=ebike|foot&minutes=` of the network metric (issue 14). */
export const IsochroneQuery = z.object({ mode: modeParam, minutes: minutesParam })

export const METRICS = ['straight', 'network'] as const

/** `metric=straight|network&mode=&minutes=` on coverage, gaps and siting. */
export const MetricFields = {
  metric: z
    .enum(METRICS, { message: `must be one of: ${METRICS.join(', ')}` })
    .default('straight')
    .openapi({
      description:
        'straight: within each station’s radius (great-circle); network: within `minutes` by `mode` along the loaded roads. With no roads loaded for the region the answer is straight-line and says so in `fallback`',
      example: 'network',
    }),
  mode: modeParam.openapi({ description: 'With metric=network: ebike (≤ 25 km/h) or foot (4.8 km/h)' }),
  minutes: minutesParam.openapi({ type: 'number', description: 'With metric=network: travel time limit in minutes (0 < minutes ≤ 60, default 5)' }),
}

/** What a planning answer says about the rule it used. */
export const MetricReport = {
  metric: z.enum(METRICS).openapi({ description: 'The rule the figures use (straight when network was asked but no roads are loaded there)' }),
  network: z
    .object({
      mode: z.enum(TRAVEL_MODES),
      minutes: z.number(),
      extract: z.string().openapi({ description: 'file name of the loaded OpenStreetMap extract' }),
      no_road_access: z.object({ demand: z.number(), items: z.number().int() }).openapi({ description: 'Demand more than 300 m from any road the mode can use: in the total, never covered' }),
    })
    .nullable()
    .openapi({ description: 'With metric=network on loaded roads; else null' }),
  fallback: z.string().nullable().openapi({ description: 'Why network was asked but straight-line was used (no roads loaded for the region); else null' }),
}

/** GET /api/roads?region= */
export const RoadsQuery = z.object({ region: regionCode.openapi({ description: 'County or city code (a city includes its counties)' }) })

export const RoadsSummary = z
  .object({
    region: z.string(),
    loaded: z.boolean().openapi({ description: 'Roads are loaded for this region: metric=network applies and the street layer has something to draw' }),
    extract: z.object({ file_name: z.string(), loaded_at: z.string() }).nullable().openapi({ description: 'The loaded OpenStreetMap extract, or null when none is' }),
    nodes: z.number().int(),
    edges: z.number().int(),
    graph_bytes: z.number().int().openapi({ description: 'Size of GET /api/roads/graph for the region, bytes' }),
    attribution: z.string().nullable().openapi({ description: 'ODbL credit to show while OSM roads are drawn or used' }),
  })
  .openapi('Roads')

export const IsochroneFeature = z
  .object({
    type: z.literal('Feature'),
    geometry: z.object({
      type: z.enum(['Polygon', 'MultiPolygon']),
      coordinates: z.array(z.any()),
    }),
    properties: z.object({
      station_id: z.uuid(),
      mode: z.enum(TRAVEL_MODES),
      minutes: z.number(),
      reached_nodes: z.number().int().openapi({ description: 'road nodes reached within the limit' }),
      snap_m: z.number().openapi({ description: 'metres from the station to its road node (walked)' }),
      extract: z.string().openapi({ description: 'file name of the loaded OpenStreetMap extract' }),
    }),
  })
  .openapi('Isochrone')

/** `GET /places?q=&limit=`: OSM settlements loaded with the roads whose name holds `q`. */
export const PlaceSearchQuery = z.object({
  q: text(50).transform((s) => s.trim()).refine((s) => s.length > 0, 'must not be empty: a town or street name, e.g. 鸡黍镇')
    .openapi({ description: 'Part of the name (Chinese or English), 1–50 characters', example: '鸡黍' }),
  limit: decimal(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(20, 'must be ≤ 20').default(8))
    .openapi({ type: 'integer', description: 'At most this many places (1–20, default 8)', example: 8 }),
})

export const PlaceSearchResult = z
  .object({
    places: z.array(z.object({
      id: z.string().openapi({ description: 'The OSM node id' }),
      name: z.string(), name_en: z.string().nullable(),
      class: z.enum(PLACE_CLASSES), lon: z.number(), lat: z.number(),
    })),
    attribution: z.string().nullable().openapi({ description: '© OpenStreetMap contributors, ODbL, when any place is loaded' }),
  })
  .openapi('PlaceSearchResult')
