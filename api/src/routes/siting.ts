import { createRoute } from '@hono/zod-openapi'
import { countingSites, NO_EDITS, planStations } from '../core/plan-stations.ts'
import { coverageRadius } from '../core/station-kinds.ts'
import { ApiError } from '../http/errors.ts'
import { runWork } from '../http/run-work.ts'
import { jsonContent, router } from '../http/router.ts'
import { layerRef, loadPlanningInputs } from '../planning/planning-inputs.ts'
import { metricReport, planningMetric } from '../planning/planning-metric.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { SitingBody, SitingResponse } from '../schemas/planning.ts'
import { packDemand } from '../work/packed-demand.ts'

const siting = createRoute({
  method: 'post',
  path: '/siting',
  summary: 'Suggest new stations: k sites covering the most demand, or the fewest reaching a target ratio',
  description:
    'Maximal covering over the candidates (default: the demand cell centres of the region): a lazy greedy start improved by swap (interchange) local search. Active stations of the kind — after any what-if `edits` — count as already covering. With `metric=network` a site covers what it reaches within `minutes` by `mode` along the loaded roads; the bound still holds.',
  request: { body: { content: { 'application/json': { schema: SitingBody } }, required: true } },
  responses: {
    200: jsonContent(SitingResponse, 'Suggested sites in the order chosen, with coverage before and after'),
    400: jsonContent(ErrorSchema, 'The body broke a rule'),
    404: jsonContent(ErrorSchema, 'Unknown region or demand layer'),
    413: jsonContent(ErrorSchema, 'Too many demand items, candidates or sites for one request, or a body over the siting body limit (the limit is named)'),
    503: jsonContent(ErrorSchema, 'The computation exceeded the work budget (WORK_BUDGET_MS) and was stopped; see Retry-After'),
  },
})

export const sitingRoutes = router().openapi(siting, async (c) => {
  const b = c.req.valid('json')
  const { limits } = c.var.deps
  if (b.count !== undefined && b.count > limits.maxSites) {
    throw new ApiError(413, 'too_large', `count: ${b.count} exceeds maxSites (${limits.maxSites})`, [{ path: ['count'], message: `at most ${limits.maxSites}` }])
  }
  const inputs = await loadPlanningInputs(c.var.deps, { region: b.region, kinds: [b.kind], layer: b.layer, resolution: b.resolution, at: b.at, radiusM: b.radius_m, signal: c.req.raw.signal })
  const candidates = b.candidates ? b.candidates.map(([lon, lat]) => ({ lon, lat, h3: null, region_code: null })) : inputs.demand
  if (candidates.length > limits.maxCandidates) {
    throw new ApiError(
      413,
      'too_large',
      `${candidates.length} candidate sites exceed maxCandidates (${limits.maxCandidates}); pass fewer candidates, a county or a coarser resolution`,
      [{ path: ['candidates'], message: `at most ${limits.maxCandidates} candidates per request` }],
    )
  }
  const metric = await planningMetric(c.var.deps, b, inputs.regionCodes, b.region)
  const radius = b.radius_m ?? coverageRadius(b.kind)
  const existing = countingSites(planStations(inputs.sites, b.edits ?? NO_EDITS, radius)).map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m }))
  // Off the request thread: a city-wide siting can take minutes of CPU (budget: WORK_BUDGET_MS).
  const r = await runWork(c, {
    task: 'siting',
    demand: packDemand(inputs.demand),
    candidates: b.candidates ? Float64Array.from(b.candidates.flat()) : null,
    existing,
    options: { radius_m: radius, count: b.count, targetRatio: b.target_ratio, maxSites: limits.maxSites },
    network: metric.rule,
  })
  return c.json(
    {
      sites: {
        type: 'FeatureCollection' as const,
        features: r.sites.map((s, i) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [s.lon, s.lat] as [number, number] },
          properties: { rank: i + 1, gain: s.gain, region_code: candidates[s.candidate]!.region_code, h3: candidates[s.candidate]!.h3 },
        })),
      },
      before: r.before,
      after: r.after,
      reached: r.reached,
      bound: r.bound,
      radius_m: radius,
      layer: layerRef(inputs.layer),
      resolution: inputs.resolution,
      candidates: candidates.length,
      swaps: r.swaps,
      ...metricReport(metric, r.noRoadAccess),
    },
    200,
  )
})
