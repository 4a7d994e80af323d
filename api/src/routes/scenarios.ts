import { createRoute, z } from '@hono/zod-openapi'
import Papa from 'papaparse'
import { countingSites, planStations } from '../core/plan-stations.ts'
import { computeCoverage } from '../core/coverage.ts'
import { totals } from '../core/demand-item.ts'
import { coverageRadius } from '../core/station-kinds.ts'
import { coverageSites } from '../db/coverage-sites.ts'
import { requireRegion } from '../db/regions.ts'
import { deleteScenario, getScenario, insertScenario, listScenarios, scenarioRegion, type PlanFeature, type ScenarioRecord } from '../db/scenarios.ts'
import { bodyAs, writeRoute } from '../auth/authorize.ts'
import { actorLabel } from '../auth/principal.ts'
import { ApiError } from '../http/errors.ts'
import { runWork } from '../http/run-work.ts'
import { planningMetric } from '../planning/planning-metric.ts'
import { packDemand } from '../work/packed-demand.ts'
import type { Site } from '../core/demand-item.ts'
import { jsonContent, router } from '../http/router.ts'
import { layerRef, loadPlanningInputs } from '../planning/planning-inputs.ts'
import { planFeatures } from '../planning/plan-features.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'
import { attachment } from '../export/station-table.ts'
import { coverageRuleLabel } from '../planning/coverage-rule-label.ts'
import { ExportQuery, Scenario, ScenarioBody, ScenarioList, ScenarioListQuery } from '../schemas/planning.ts'

const idParams = z.object({ id: uuidParam })
const notFound = (id: string) => new ApiError(404, 'not_found', `scenario ${id} does not exist`)

const create = writeRoute(
  createRoute({
    method: 'post',
    path: '/scenarios',
    summary: 'Save a scenario (editor of the region): what-if edits to a region’s network; the server computes coverage before and after',
    request: { body: { content: { 'application/json': { schema: ScenarioBody } }, required: true } },
    responses: {
      201: jsonContent(Scenario, 'The saved scenario'),
      400: jsonContent(ErrorSchema, 'The body broke a rule'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the region'),
      404: jsonContent(ErrorSchema, 'Unknown region or demand layer'),
      413: jsonContent(ErrorSchema, 'Too much demand for one request (the limit is named)'),
    },
  }),
  { kind: 'region', regions: async (c) => { const b = await bodyAs(c, ScenarioBody); return b ? [b.region] : null } },
)

const list = createRoute({
  method: 'get',
  path: '/scenarios',
  summary: 'Saved scenarios, newest first (without their station lists)',
  request: { query: ScenarioListQuery },
  responses: {
    200: jsonContent(ScenarioList, 'Scenario summaries'),
    400: jsonContent(ErrorSchema, 'A query parameter broke its rule'),
    404: jsonContent(ErrorSchema, 'Unknown region'),
  },
})

const one = createRoute({
  method: 'get',
  path: '/scenarios/{id}',
  summary: 'One scenario with its plan’s stations',
  request: { params: idParams },
  responses: { 200: jsonContent(Scenario, 'The scenario'), 400: jsonContent(ErrorSchema, 'The id is not a UUID'), 404: jsonContent(ErrorSchema, 'No such scenario') },
})

const remove = writeRoute(
  createRoute({
    method: 'delete',
    path: '/scenarios/{id}',
    summary: 'Delete a scenario (editor of its region); history keeps what it was',
    request: { params: idParams },
    responses: {
      204: { description: 'Deleted' },
      400: jsonContent(ErrorSchema, 'The id is not a UUID'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the scenario’s region'),
      404: jsonContent(ErrorSchema, 'No such scenario'),
    },
  }),
  {
    kind: 'region',
    regions: async (c) => {
      const id = idParams.safeParse({ id: c.req.param('id') })
      const region = id.success ? await scenarioRegion(c.var.deps.sql, id.data.id) : undefined
      return region === undefined ? null : [region]
    },
  },
)

const exportPlan = createRoute({
  method: 'get',
  path: '/scenarios/{id}/export',
  summary: 'Download the plan’s stations (existing, moved, added, removed) as GeoJSON or CSV',
  request: { params: idParams, query: ExportQuery },
  responses: {
    200: {
      description: 'A file download (WGS-84 lon/lat)',
      content: { 'application/geo+json': { schema: z.any() }, 'text/csv': { schema: z.string() } },
    },
    400: jsonContent(ErrorSchema, 'The id is not a UUID or the format is unknown'),
    404: jsonContent(ErrorSchema, 'No such scenario'),
  },
})

const summary = ({ stations, ...s }: ScenarioRecord) => ({ ...s, stations_added: s.edits.added.length })


export const scenarioRoutes = router()
  .openapi(create, async (c) => {
    const b = c.req.valid('json')
    const { sql } = c.var.deps
    const inputs = await loadPlanningInputs(c.var.deps, { region: b.region, kinds: [b.kind], layer: b.layer, resolution: b.resolution, at: b.at, radiusM: b.radius_m })
    const radius = b.radius_m ?? coverageRadius(b.kind)
    const metric = await planningMetric(c.var.deps, b, inputs.regionCodes, b.region)
    const planned = countingSites(planStations(inputs.sites, b.edits, radius))
    // by road: two searches over the county's graph, in the worker pool; straight-line stays inline (it always was)
    const figures = async (sites: Site[]) => {
      if (!metric.rule) return computeCoverage(inputs.demand, sites, { nearest: false })
      return runWork(c, { task: 'coverage', demand: packDemand(inputs.demand), sites: sites.map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m })), network: metric.rule })
    }
    const before = await figures(inputs.sites)
    const after = await figures(planned)
    // The exported plan lists every active station of the kind, open at `at` or not.
    const network = b.at ? (await coverageSites(sql, { kinds: [b.kind], regionCodes: inputs.regionCodes, radiusM: b.radius_m })).sites : inputs.sites
    const saved = await insertScenario(sql, {
      name: b.name,
      note: b.note ?? null,
      region_code: b.region,
      kinds: [b.kind],
      radius_m: b.radius_m ?? null,
      layer_id: inputs.layer.id,
      at: b.at?.toISOString() ?? null,
      resolution: inputs.resolution,
      // the rule the figures were computed with (straight when network was asked on a county without roads)
      metric: metric.metric,
      mode: metric.rule?.mode ?? null,
      minutes: metric.rule?.minutes ?? null,
      edits: b.edits,
      before: totals(before.covered, before.total),
      after: totals(after.covered, after.total),
      stations: { type: 'FeatureCollection', features: planFeatures(network, b.edits, b.kind, radius) },
    }, { id: c.var.principal!.userId, label: actorLabel(c.var.principal!) })
    return c.json({ ...summary(saved), stations: saved.stations, fallback: metric.fallback }, 201)
  })
  .openapi(list, async (c) => {
    const { region, limit, cursor } = c.req.valid('query')
    const codes = region ? await requireRegion(c.var.deps.sql, region) : undefined
    const page = await listScenarios(c.var.deps.sql, codes, { limit, cursor })
    return c.json({ scenarios: page.items.map((r) => ({ ...r, stations_added: r.edits.added.length })), ...(page.next ? { next_cursor: page.next } : {}) }, 200)
  })
  .openapi(one, async (c) => {
    const { id } = c.req.valid('param')
    const s = await getScenario(c.var.deps.sql, id)
    if (!s) throw notFound(id)
    return c.json({ ...summary(s), stations: s.stations }, 200)
  })
  .openapi(remove, async (c) => {
    const { id } = c.req.valid('param')
    if (!(await deleteScenario(c.var.deps.sql, id, { id: c.var.principal!.userId, label: actorLabel(c.var.principal!) }))) throw notFound(id)
    return c.body(null, 204)
  })
  .openapi(exportPlan, async (c) => {
    const { id } = c.req.valid('param')
    const { format } = c.req.valid('query')
    const s = await getScenario(c.var.deps.sql, id)
    if (!s) throw notFound(id)
    if (format === 'csv') {
      const rule = coverageRuleLabel(s)
      const rows = s.stations.features.map((f: PlanFeature) => ({ ...f.properties, lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], coverage_rule: rule }))
      const csv = Papa.unparse(rows, { columns: ['id', 'name', 'kind', 'change', 'lon', 'lat', 'radius_m', 'coverage_rule'] })
      // BOM: Excel opens UTF-8 CSV with Chinese names correctly only with it
      return c.body(`\uFEFF${csv}\r\n`, 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(s.name, 'csv', 'scenario') })
    }
    const body = { ...s.stations, scenario: { ...summary(s), coverage_rule: coverageRuleLabel(s), crs: 'WGS-84 (EPSG:4326), lon/lat' } }
    return c.body(JSON.stringify(body), 200, { 'Content-Type': 'application/geo+json; charset=utf-8', 'Content-Disposition': attachment(s.name, 'geojson', 'scenario') })
  })
