import { createRoute } from '@hono/zod-openapi'
import { jsonContent, router } from '../http/router.ts'
import { runWork } from '../http/run-work.ts'
import { layerRef, loadPlanningInputs } from '../planning/planning-inputs.ts'
import { metricReport, planningMetric } from '../planning/planning-metric.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { CoverageResponse, GapCollection, GapsQuery, PlanningQuery } from '../schemas/planning.ts'
import { packDemand } from '../work/packed-demand.ts'
import { coverageOf } from '../work/tasks.ts'

/** Coverage over more demand items than this runs in the worker pool; below it, inline is quicker than the hand-off. */
export const INLINE_COVERAGE_ITEMS = 20_000

const errors = {
  400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
  404: jsonContent(ErrorSchema, 'Unknown region or demand layer'),
  413: jsonContent(ErrorSchema, 'The request would compute over more demand items than the server allows (the limit is named)'),
  503: jsonContent(ErrorSchema, 'The computation exceeded the work budget (WORK_BUDGET_MS) and was stopped; see Retry-After'),
}

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
  request: { query: GapsQuery },
  responses: { 200: jsonContent(GapCollection, 'FeatureCollection of areas, largest unserved demand first'), ...errors },
})

export const coverageRoutes = router()
  .openapi(coverage, async (c) => {
    const q = c.req.valid('query')
    const inputs = await loadPlanningInputs(c.var.deps, { region: q.region, kinds: q.kind ?? null, layer: q.layer, resolution: q.resolution, at: q.at, radiusM: q.radius_m, signal: c.req.raw.signal })
    const metric = await planningMetric(c.var.deps, q, inputs.regionCodes, q.region)
    const sites = inputs.sites.map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m }))
    // by road always in the pool (a search over a county's graph); straight-line inline when small
    const r =
      metric.rule || inputs.demand.length > INLINE_COVERAGE_ITEMS
        ? await runWork(c, { task: 'coverage', demand: packDemand(inputs.demand), sites, radius_m: q.radius_m, network: metric.rule })
        : coverageOf({ task: 'coverage', demand: packDemand(inputs.demand), sites, radius_m: q.radius_m })
    return c.json(
      {
        covered: r.covered,
        total: r.total,
        ratio: r.ratio,
        by_region: r.by_region,
        layer: layerRef(inputs.layer),
        kind: q.kind ?? null,
        radius_m: q.radius_m ?? null,
        at: q.at?.toISOString() ?? null,
        resolution: inputs.resolution,
        stations: { counted: inputs.sites.length, closed: inputs.closed, unknown_hours: inputs.unknownHours, no_road_access: r.network?.sites.no_road_access ?? null },
        ...metricReport(metric, r.network?.no_road_access ?? null),
      },
      200,
    )
  })
  .openapi(gaps, async (c) => {
    const q = c.req.valid('query')
    const inputs = await loadPlanningInputs(c.var.deps, { region: q.region, kinds: q.kind ?? null, layer: q.layer, resolution: q.resolution, at: q.at, radiusM: q.radius_m, signal: c.req.raw.signal })
    const metric = await planningMetric(c.var.deps, q, inputs.regionCodes, q.region)
    // Flood fill and polygon outlines over a city's cells take seconds: always off the request thread.
    const r = await runWork(c, {
      task: 'gaps',
      demand: packDemand(inputs.demand),
      sites: inputs.sites.map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m })),
      radius_m: q.radius_m,
      isPointLayer: inputs.layer.kind === 'point',
      minDemand: q.min_demand,
      minCellDemand: q.min_cell_demand ?? null,
      limit: q.limit,
      network: metric.rule,
    })
    return c.json(
      {
        type: 'FeatureCollection' as const,
        features: r.areas.map(({ polygon, ...g }) => ({
          type: 'Feature' as const,
          geometry: { type: 'MultiPolygon' as const, coordinates: polygon },
          properties: g,
        })),
        unserved: r.unserved,
        areas: r.count,
        min_cell_demand: r.minCellDemand,
        layer: layerRef(inputs.layer),
        resolution: inputs.resolution,
        ...metricReport(metric, r.noRoadAccess),
      },
      200,
    )
  })
