import type { TravelMode } from '../core/road-types.ts'
import type { AppDeps } from '../http/env.ts'
import type { NetworkRule } from '../work/tasks.ts'
import { regionRoads, type RegionRoads } from './region-roads.ts'

export interface MetricAsked {
  metric: 'straight' | 'network'
  mode: TravelMode
  minutes: number
}

/** The coverage rule a request gets: straight-line, or travel time on the region's roads. */
export type PlanningMetric =
  | { metric: 'straight'; fallback: string | null; rule: undefined; roads: null }
  | { metric: 'network'; fallback: null; rule: NetworkRule; roads: RegionRoads }

/**
 * metric=network on a region with roads loaded → the network rule over its cached graph; on a
 * region without roads → straight-line, with `fallback` saying why (the answer stays useful and
 * says what it is, rather than a 4xx the page would have to retry without the metric).
 */
export async function planningMetric(deps: AppDeps, q: MetricAsked, regionCodes: readonly string[], regionLabel: string): Promise<PlanningMetric> {
  if (q.metric === 'straight') return { metric: 'straight', fallback: null, rule: undefined, roads: null }
  const roads = await regionRoads(deps, regionCodes)
  if (roads.graph.edgeCount === 0) {
    const why = roads.extract
      ? `the loaded road extract (${roads.extract.file_name}) has no roads in region ${regionLabel}`
      : 'no road network is loaded (npm run load-roads -- file.osm.pbf)'
    return { metric: 'straight', fallback: `${why}; coverage is straight-line (each station's radius)`, rule: undefined, roads: null }
  }
  return { metric: 'network', fallback: null, rule: { graph: roads.graph, mode: q.mode, minutes: q.minutes }, roads }
}

/** The `metric` / `network` / `fallback` fields of a planning answer. */
export function metricReport(m: PlanningMetric, noRoadAccess: { demand: number; items: number } | null) {
  return {
    metric: m.metric,
    network: m.metric === 'network' && noRoadAccess ? { mode: m.rule.mode, minutes: m.rule.minutes, extract: m.roads.extract!.file_name, no_road_access: noRoadAccess } : null,
    fallback: m.fallback,
  }
}
