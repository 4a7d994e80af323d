import { z } from '@hono/zod-openapi'
import { chinaTimeToday } from '../core/china-time-today.ts'
import { STATION_KINDS } from '../core/station-kinds.ts'
import { bodyLat as lat, bodyLon as lon, decimal, kindsParam, NO_NUL_MESSAGE, noNul, regionCode } from './common.ts'
import { DemandLayerSchema } from './demand.ts'
import { METRICS, MetricFields, MetricReport } from './roads.ts'
import { TRAVEL_MODES } from '../core/road-types.ts'

/** `HH:mm` (today, China Standard Time) or an ISO 8601 date-time with offset → a Date. */
export const atParam = z
  .string()
  .transform((s, ctx) => {
    const today = chinaTimeToday(s)
    if (today) return today
    if (z.iso.datetime({ offset: true }).safeParse(s).success) return new Date(s)
    ctx.addIssue({ code: 'custom', message: 'must be HH:mm (today, China Standard Time) or an ISO 8601 date-time with offset, e.g. 2026-11-26T02:00:00+08:00' })
    return z.NEVER
  })
  .openapi({ type: 'string', example: '02:00', description: 'Only stations open at this time count (Asia/Shanghai); HH:mm means today' })

export const radiusParam = decimal(z.number().positive('must be > 0 metres').max(50_000, 'must be ≤ 50000 metres'))
  .openapi({ type: 'number', example: 1500, description: "Coverage radius in metres on the sphere; default: each station's own (its kind's default)" })

export const layerParam = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'must be a layer id: lower-case letters, digits, _ or -')
  .optional()
  .openapi({ example: 'population', description: "Demand layer id (GET /api/demand/layers); default: the region's default layer (a planner sets it), else population" })

export const resolutionParam = decimal(z.number().int('must be a whole number').min(5, 'must be ≥ 5').max(9, 'must be ≤ 9'))
  .openapi({ type: 'integer', description: 'H3 resolution to compute on; default 9 for a county, 8 for a city' })

/** Coverage and gaps also run over a province (its loaded cities and counties) or the whole data set. */
export const planningRegion = z
  .string()
  .regex(/^([0-9]{6}|all)$/, 'must be a six-digit GB/T 2260 code (county, city or province, e.g. 370828, 370800, 370000) or all')
  .openapi({ example: '370828', description: 'County, city (with its counties) or province code (its loaded cities and counties), or `all`: the whole data set' })

export const PlanningQuery = z.object({
  region: planningRegion,
  kind: kindsParam.optional().openapi({ description: 'Station kinds that count (comma-separated); default: all' }),
  radius_m: radiusParam.optional(),
  layer: layerParam,
  at: atParam.optional(),
  resolution: resolutionParam.optional(),
  ...MetricFields,
})

export const GapsQuery = PlanningQuery.extend({
  limit: decimal(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(500, 'must be ≤ 500').default(20)).openapi({ type: 'integer', description: 'At most this many areas, largest unserved demand first' }),
  min_demand: decimal(z.number().min(0, 'must be ≥ 0').optional()).openapi({ type: 'number', description: 'Leave out areas with less unserved demand' }),
  min_cell_demand: decimal(z.number().min(0, 'must be ≥ 0').optional())
    .openapi({ type: 'number', description: "A cell joins an area only with at least this much unserved demand; default: the upper quartile of the region's cell demands (0 for point layers); 0 = every uncovered cell" }),
})

export const Totals = z.object({
  covered: z.number().openapi({ description: "Covered demand, in the layer's unit" }),
  total: z.number(),
  ratio: z.number().openapi({ description: 'covered / total, 0–1' }),
})

/** The layer fields every planning response repeats, so a reader always sees modelled/demo. */
export const LayerMeta = DemandLayerSchema.pick({ id: true, name: true, name_en: true, unit: true, unit_en: true, source: true, licence: true, modelled: true, demo: true }).openapi('DemandLayerRef')

export const CoverageResponse = Totals.extend({
  by_region: z.array(Totals.extend({ code: z.string(), no_road_access: z.number().optional().openapi({ description: 'With metric=network: the county’s demand without road access' }) })),
  layer: LayerMeta,
  kind: z.array(z.enum(STATION_KINDS)).nullable().openapi({ description: 'Kinds counted; null = all' }),
  radius_m: z.number().nullable().openapi({ description: "One radius for all, or null: each station's own" }),
  at: z.string().nullable().openapi({ description: 'The time stations had to be open at (ISO 8601), or null' }),
  resolution: z.number().int(),
  stations: z.object({
    counted: z.number().int(),
    closed: z.number().int().openapi({ description: 'Left out: closed at `at`' }),
    unknown_hours: z.number().int().openapi({ description: 'Left out: hours missing or unreadable (only with `at`)' }),
    no_road_access: z.number().int().nullable().openapi({ description: 'With metric=network: counted stations more than 300 m from a road (they cover nothing); else null' }),
  }),
  ...MetricReport,
}).openapi('Coverage')

export const GapFeature = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(z.array(z.array(z.number())))) }),
  properties: z.object({
    rank: z.number().int(),
    demand: z.number().openapi({ description: "Unserved demand, in the layer's unit" }),
    area_km2: z.number(),
    nearest_station_m: z.number().nullable().openapi({ description: 'Great-circle metres to the nearest counted station; null when there is none' }),
    road_m: z.number().nullable().openapi({ description: 'With metric=network: metres by road (walks to and from the road included) from the nearest station to the area’s closest cell; null when no station reaches it or with metric=straight' }),
    road_minutes: z.number().nullable().openapi({ description: 'Minutes of that trip by `mode`' }),
    no_road_access: z.number().nullable().openapi({ description: 'With metric=network: unserved demand of the area more than 300 m from any road' }),
    region_code: z.string().nullable(),
    centroid: z.tuple([z.number(), z.number()]),
    cells: z.array(z.string()).openapi({ description: 'H3 cells of the area' }),
  }),
})

export const GapCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(GapFeature),
    unserved: z.number().openapi({ description: 'All unserved demand in the region (not only the areas listed)' }),
    areas: z.number().int().openapi({ description: 'Number of under-served areas before `limit`' }),
    min_cell_demand: z.number().openapi({ description: 'The cell threshold used' }),
    layer: LayerMeta,
    resolution: z.number().int(),
    ...MetricReport,
  })
  .openapi('Gaps')

const position = z.tuple([lon, lat])

// Ids and names end up in jsonb, which cannot hold U+0000 either.
const editId = z.string().min(1).max(64).refine(noNul, NO_NUL_MESSAGE)

export const NetworkEditsSchema = z
  .object({
    added: z.array(z.object({ id: editId, lon, lat, name: z.string().max(100).refine(noNul, NO_NUL_MESSAGE).optional() })).max(500, 'at most 500 proposed stations').default([]),
    moved: z.array(z.object({ id: editId, lon, lat })).max(1000, 'at most 1000 moves').default([]),
    removed: z.array(editId).max(1000, 'at most 1000 removals').default([]),
  })
  // strict: a misspelt key ("add") would otherwise be dropped and the plan run without its edits
  .strict()
  .openapi('NetworkEdits', { description: 'What-if edits: proposed stations (ids of your choosing), moved and removed stations' })

export const SitingBody = z
  .object({
    kind: z.enum(STATION_KINDS, { message: `must be one of ${STATION_KINDS.join(', ')}` }),
    region: regionCode,
    count: z.number().int('must be a whole number').min(1, 'must be ≥ 1').optional(),
    target_ratio: z.number().gt(0, 'must be > 0').max(1, 'must be ≤ 1').optional(),
    radius_m: z.number().positive('must be > 0 metres').max(50_000, 'must be ≤ 50000 metres').optional(),
    layer: layerParam,
    resolution: resolutionParam.optional(),
    at: atParam.optional().openapi({ description: 'Only existing stations open at this time count as covering (HH:mm today or ISO date-time, China Standard Time)' }),
    candidates: z.array(position).min(1, 'give at least one candidate, or leave candidates out').optional().openapi({ description: '[lon, lat] sites to choose from; default: the centres of the demand cells' }),
    edits: NetworkEditsSchema.optional().openapi({ description: 'What-if edits applied to the existing network first' }),
    ...MetricFields,
  })
  // strict: a misspelt or unknown field ("minute", "metrics") would otherwise be dropped and the
  // siting run on defaults; the 400 names it
  .strict()
  .superRefine((b, ctx) => {
    // one message for each way of breaking the rule (neither given was told "not both")
    if (b.count === undefined && b.target_ratio === undefined) ctx.addIssue({ code: 'custom', path: ['count'], message: 'give count (how many sites) or target_ratio (coverage to reach, 0–1)' })
    else if (b.count !== undefined && b.target_ratio !== undefined) ctx.addIssue({ code: 'custom', path: ['count'], message: 'give either count or target_ratio, not both' })
  })
  .openapi('SitingRequest')

export const SiteFeature = z.object({
  type: z.literal('Feature'),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
  properties: z.object({
    rank: z.number().int(),
    gain: z.number().openapi({ description: 'Demand newly covered by this site, given the sites ranked before it' }),
    region_code: z.string().nullable(),
    h3: z.string().nullable().openapi({ description: 'Demand cell the site sits in (default candidates)' }),
  }),
})

export const SitingResponse = z
  .object({
    sites: z.object({ type: z.literal('FeatureCollection'), features: z.array(SiteFeature) }),
    before: Totals,
    after: Totals,
    reached: z.boolean().openapi({ description: 'For target_ratio: whether it was reached' }),
    bound: Totals.openapi({ description: 'Upper bound: no choice of as many sites from these candidates covers more (Lagrangian relaxation); after ≤ optimum ≤ bound' }),
    radius_m: z.number(),
    layer: LayerMeta,
    resolution: z.number().int(),
    candidates: z.number().int(),
    swaps: z.number().int().openapi({ description: 'Improving swaps the local search made after the greedy start' }),
    ...MetricReport,
  })
  .openapi('Siting')

export const ScenarioBody = z
  .object({
    name: z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters').refine(noNul, NO_NUL_MESSAGE),
    note: z.string().max(1000, 'must be at most 1000 characters').refine(noNul, NO_NUL_MESSAGE).optional(),
    kind: z.enum(STATION_KINDS, { message: `must be one of ${STATION_KINDS.join(', ')}` }),
    region: regionCode,
    radius_m: z.number().positive('must be > 0 metres').max(50_000, 'must be ≤ 50000 metres').optional(),
    layer: layerParam,
    at: atParam.optional(),
    resolution: resolutionParam.optional(),
    edits: NetworkEditsSchema,
    ...MetricFields,
  })
  // strict, as SitingRequest: an unknown field is a 400 naming it, never silently dropped
  .strict()
  .openapi('ScenarioRequest')

const PlanStationFeature = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
  properties: z.object({
    id: z.string(),
    name: z.string(),
    kind: z.string(),
    radius_m: z.number(),
    change: z.enum(['existing', 'moved', 'added', 'removed']),
  }),
})

export const ScenarioSummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    note: z.string().nullable(),
    region_code: z.string(),
    kinds: z.array(z.string()).nullable(),
    radius_m: z.number().nullable(),
    layer_id: z.string(),
    at: z.string().nullable(),
    resolution: z.number().int(),
    metric: z.enum(METRICS).openapi({ description: 'The rule of `before` and `after`: straight (each station’s radius) or network (travel time along the loaded roads; straight when network was asked but no roads are loaded there)' }),
    mode: z.enum(TRAVEL_MODES).nullable().openapi({ description: 'With metric=network: ebike or foot; else null' }),
    minutes: z.number().nullable().openapi({ description: 'With metric=network: the travel-time limit; else null' }),
    edits: NetworkEditsSchema,
    before: Totals,
    after: Totals,
    stations_added: z.number().int(),
    created_at: z.string(),
  })
  .openapi('ScenarioSummary')

export const Scenario = ScenarioSummary.extend({
  stations: z.object({ type: z.literal('FeatureCollection'), features: z.array(PlanStationFeature) }),
  fallback: z.string().nullable().optional().openapi({ description: 'In the answer to saving: why metric=network was asked but the figures are straight-line (no roads loaded for the region); else null' }),
}).openapi('Scenario')

export const ScenarioList = z
  .object({
    scenarios: z.array(ScenarioSummary),
    next_cursor: z.string().optional().openapi({ description: 'Pass as `cursor` to get the next (older) page' }),
  })
  .openapi('ScenarioList')

export const ScenarioListQuery = z.object({
  region: regionCode.optional().openapi({ description: 'Only scenarios of this region (a city includes its counties)' }),
  limit: decimal(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(500, 'must be ≤ 500').default(500)).openapi({ type: 'integer', description: 'Scenarios per page, newest first' }),
  cursor: z.string().regex(/^\d{1,20}_[0-9a-f-]{36}$/, 'must be a next_cursor value from a previous page').optional(),
})

export const ExportQuery = z.object({
  format: z.enum(['geojson', 'csv'], { message: 'must be geojson or csv' }).default('geojson'),
})

// What a client sends (before defaults and coercion), inferred from the schemas above so the page
// cannot drift from what the API validates.
export type NetworkEditsInput = z.input<typeof NetworkEditsSchema>
export type SitingRequest = z.input<typeof SitingBody>
export type ScenarioRequest = z.input<typeof ScenarioBody>
