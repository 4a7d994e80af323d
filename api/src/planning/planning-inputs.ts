import type { DemandItem } from '../core/demand-item.ts'
import type { StationKind } from '../core/station-kinds.ts'
import { coverageSites, type CoverageSites } from '../db/coverage-sites.ts'
import { loadDemand } from '../db/demand.ts'
import { requireRegion } from '../db/regions.ts'
import type { AppDeps } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'

export interface PlanningQuery {
  region: string
  kinds: StationKind[] | null
  layer: string
  resolution?: number
  at?: Date
  radiusM?: number
  /** the request's signal: aborting it cancels the station query */
  signal?: AbortSignal
}

export interface PlanningInputs extends CoverageSites {
  regionCodes: string[]
  resolution: number
  layer: Awaited<ReturnType<typeof loadDemand>>['layer']
  demand: DemandItem[]
}

/**
 * Everything a coverage, gaps or siting request computes over: the region's counties, the demand
 * of the layer at the right resolution (9 for a county, 8 for a whole city unless asked) and the
 * active stations that count. Unknown region/layer → 404; too much demand → 413 naming the limit.
 */
export async function loadPlanningInputs(deps: AppDeps, q: PlanningQuery): Promise<PlanningInputs> {
  const { sql, limits } = deps
  const regionCodes = await requireRegion(sql, q.region)
  const { layer, items, resolution } = await loadDemand(sql, { layer: q.layer, regionCodes, resolution: q.resolution })
  if (items.length > limits.maxDemandItems) {
    throw new ApiError(
      413,
      'too_large',
      `${items.length} demand items exceed maxDemandItems (${limits.maxDemandItems}); choose a county or a coarser resolution`,
      [{ path: ['resolution'], message: `at most ${limits.maxDemandItems} demand items per request` }],
    )
  }
  const sites = await coverageSites(sql, { kinds: q.kinds, regionCodes, radiusM: q.radiusM, at: q.at, signal: q.signal })
  return { regionCodes, resolution, layer, demand: items, ...sites }
}

/** The layer fields every planning response repeats, so a reader always sees modelled/demo. */
export function layerRef(layer: PlanningInputs['layer']) {
  const { id, name, name_en, unit, unit_en, source, modelled, demo } = layer
  return { id, name, name_en, unit, unit_en, source, modelled, demo }
}
