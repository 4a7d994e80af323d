import { createRoute, type z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import type { AppEnv } from '../http/env.ts'
import { jsonContent, router } from '../http/router.ts'
import { runWork } from '../http/run-work.ts'
import { layerRef, loadPlanningRun, type PlanningProgress } from '../planning/planning-inputs.ts'
import { metricReport, planningMetric } from '../planning/planning-metric.ts'
import { planningStream, wantsEventStream } from '../planning/planning-stream.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { CoverageResponse, GapCollection, GapsQuery, PlanningQuery } from '../schemas/planning.ts'
import { coverageOf } from '../work/tasks.ts'

/** Coverage over more demand items than this runs in the worker pool; below it, inline is quicker than the hand-off. */
export const INLINE_COVERAGE_ITEMS = 20_000

const errors = {
  400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
  404: jsonContent(ErrorSchema, 'Unknown region or demand layer'),
  413: jsonContent(ErrorSchema, 'The request’s estimated memory (demand items and stations counted before reading) exceeds the planning memory budget (PLANNING_MEMORY_MB); the message names the budget, the estimate and what to do'),
  503: jsonContent(ErrorSchema, 'The computation exceeded the work budget (WORK_BUDGET_MS) and was stopped, or the planning memory budget is held by requests running now; see Retry-After'),
}

/** How a streamed answer looks, in both routes' descriptions (the OpenAPI document is the contract). */
const STREAM_DOC =
  '\n\n**Progress stream.** With `Accept: text/event-stream` the answer is server-sent events (`text/event-stream`): `progress` events with data `{phase, items_read, items_total, stations, elapsed_ms}` — phase `region` (rows counted), `stations` (stations read), `demand` (after each slice of rows read), `compute` (every second while the worker computes) — then one `result` event whose data is exactly the JSON answer without the header, or one `error` event with data `{status, error: {code, message, issues?}}` (the status the JSON answer would have had). Closing the connection cancels the database reads and the worker job. `region` may be a province code or `all` (the whole data set); demand beyond 150,000 rows is read in slices of 50,000.'

const coverage = createRoute({
  method: 'get',
  path: '/coverage',
  summary: 'Covered and total demand for station kinds in a region, overall and per county',
  description:
    'A demand item counts as covered when its H3 cell centre (or point) lies within `radius_m` — or each station’s own radius — of an active station of the kinds, by great-circle distance (as PostGIS `ST_DWithin(geography, geography, r, false)`); with `at`, only stations open then count. With `metric=network`: when a station reaches it within `minutes` by `mode` along the loaded roads (README "Roads"); demand more than 300 m from a road is reported apart as `no_road_access`.',
  request: { query: PlanningQuery },
  responses: { 200: jsonContent(CoverageResponse, 'Coverage figures'), ...errors },
})

const gaps = createRoute({
  method: 'get',
  path: '/gaps',
  summary: 'Under-served areas: contiguous uncovered demand cells, ranked by unserved demand',
  description: 'Areas of uncovered demand cells (coverage as in GET /api/coverage), largest unserved demand first.' + STREAM_DOC,
  request: { query: GapsQuery },
  responses: { 200: jsonContent(GapCollection, 'FeatureCollection of areas, largest unserved demand first'), ...errors },
})

type CoverageQ = z.infer<typeof PlanningQuery>
type GapsQ = z.infer<typeof GapsQuery>
type Progress = (p: PlanningProgress) => void

/** The coverage answer; `signal` cancels the reads and the worker job, `onProgress` hears each phase. */
async function coverageAnswer(c: Context<AppEnv>, q: CoverageQ, signal: AbortSignal, onProgress?: Progress): Promise<z.infer<typeof CoverageResponse>> {
  const run = await loadPlanningRun(c.var.deps, { region: q.region, kinds: q.kind ?? null, layer: q.layer, resolution: q.resolution, at: q.at, radiusM: q.radius_m, signal }, onProgress)
  try {
    const metric = await planningMetric(c.var.deps, q, run.regionCodes, q.region)
    const sites = run.sites.map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m }))
    const task = { task: 'coverage' as const, demand: run.demand, aggregateTo: run.aggregateTo, ownDemand: run.ownDemand, sites, radius_m: q.radius_m }
    // by road always in the pool (a search over a county's graph); straight-line inline when small
    const r =
      metric.rule || run.items > INLINE_COVERAGE_ITEMS || run.aggregateTo !== null
        ? await runWork(c, { ...task, network: metric.rule }, signal)
        : coverageOf(task)
    return {
      covered: r.covered,
      total: r.total,
      ratio: r.ratio,
      by_region: r.by_region,
      layer: layerRef(run.layer),
      kind: q.kind ?? null,
      radius_m: q.radius_m ?? null,
      at: q.at?.toISOString() ?? null,
      resolution: run.resolution,
      stations: { counted: run.sites.length, closed: run.closed, unknown_hours: run.unknownHours, no_road_access: r.network?.sites.no_road_access ?? null },
      ...metricReport(metric, r.network?.no_road_access ?? null),
    }
  } finally {
    run.release()
  }
}

/** The gaps answer, as coverageAnswer. */
async function gapsAnswer(c: Context<AppEnv>, q: GapsQ, signal: AbortSignal, onProgress?: Progress): Promise<z.infer<typeof GapCollection>> {
  const run = await loadPlanningRun(c.var.deps, { region: q.region, kinds: q.kind ?? null, layer: q.layer, resolution: q.resolution, at: q.at, radiusM: q.radius_m, signal }, onProgress)
  try {
    const metric = await planningMetric(c.var.deps, q, run.regionCodes, q.region)
    // Flood fill and polygon outlines over a city's cells take seconds: always off the request thread.
    const r = await runWork(c, {
      task: 'gaps',
      demand: run.demand,
      aggregateTo: run.aggregateTo,
      ownDemand: run.ownDemand,
      sites: run.sites.map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m })),
      radius_m: q.radius_m,
      isPointLayer: run.layer.kind === 'point',
      minDemand: q.min_demand,
      minCellDemand: q.min_cell_demand ?? null,
      limit: q.limit,
      network: metric.rule,
    }, signal)
    return {
      type: 'FeatureCollection' as const,
      features: r.areas.map(({ polygon, ...g }) => ({
        type: 'Feature' as const,
        geometry: { type: 'MultiPolygon' as const, coordinates: polygon },
        properties: g,
      })),
      unserved: r.unserved,
      areas: r.count,
      min_cell_demand: r.minCellDemand,
      layer: layerRef(run.layer),
      resolution: run.resolution,
      ...metricReport(metric, r.noRoadAccess),
    }
  } finally {
    run.release()
  }
}

export const coverageRoutes = router()
  .openapi(coverage, async (c) => {
    const q = c.req.valid('query')
    if (wantsEventStream(c)) return planningStream(c, (signal, onProgress) => coverageAnswer(c, q, signal, onProgress)) as never
    return c.json(await coverageAnswer(c, q, c.req.raw.signal), 200)
  })
  .openapi(gaps, async (c) => {
    const q = c.req.valid('query')
    if (wantsEventStream(c)) return planningStream(c, (signal, onProgress) => gapsAnswer(c, q, signal, onProgress)) as never
    return c.json(await gapsAnswer(c, q, c.req.raw.signal), 200)
  })
