import type { DemandItem } from '../core/demand-item.ts'
import type { StationKind } from '../core/station-kinds.ts'
import { coverageSites, type CoverageSites } from '../db/coverage-sites.ts'
import { defaultLayerOf, getDemandLayer, loadDemand } from '../db/demand.ts'
import { requireRegion } from '../db/regions.ts'
import type { AppDeps } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { packDemandAhead } from '../work/packed-demand.ts'

export interface PlanningQuery {
  region: string
  kinds: StationKind[] | null
  /** omitted: the region's default layer (db/demand.ts defaultLayerOf) */
  layer?: string
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

type LoadedDemand = Awaited<ReturnType<typeof loadDemand>>

/** Demand sets kept per app: a layer changes only when it is reloaded (a new `loaded_at`). */
const demandCaches = new WeakMap<AppDeps, Map<string, LoadedDemand>>()
/** Reads under way, so requests that ask for the same set at once share one read. */
const reading = new WeakMap<AppDeps, Map<string, Promise<LoadedDemand>>>()
/** At most this many demand sets, and items in all, are kept (≈ 120 bytes an item). */
const CACHE_SETS = 8
const CACHE_ITEMS = 400_000

/**
 * loadDemand, remembered: on the embedded database the query for a whole city's cells holds the one
 * thread that also answers every other request for a second or more, so each (layer version,
 * counties, resolution) is read once. The key holds the layer's `loaded_at`, read fresh each time
 * (one small query), so a reloaded layer is never served stale; the same array also keeps the
 * core's per-array index cache (geoIndexOf) and the packed form for the worker pool warm.
 */
async function loadDemandCached(deps: AppDeps, q: { layer: string; regionCodes: string[]; resolution?: number }): Promise<LoadedDemand> {
  const { loaded_at } = await getDemandLayer(deps.sql, q.layer)
  const key = `${q.layer}|${loaded_at}|${q.resolution ?? 'default'}|${q.regionCodes.join(',')}`
  let cache = demandCaches.get(deps)
  if (!cache) demandCaches.set(deps, (cache = new Map()))
  const hit = cache.get(key)
  if (hit) {
    cache.delete(key) // most recently used last
    cache.set(key, hit)
    return hit
  }
  let inFlight = reading.get(deps)
  if (!inFlight) reading.set(deps, (inFlight = new Map()))
  const pending = inFlight.get(key)
  if (pending) return pending
  const read = (async () => {
    // read in slices (db/demand.ts), then packed for the worker pool in slices, once per set
    const loaded = await loadDemand(deps.sql, q)
    await packDemandAhead(loaded.items)
    return loaded
  })()
  inFlight.set(key, read)
  let loaded: LoadedDemand
  try {
    loaded = await read
  } finally {
    inFlight.delete(key)
  }
  cache.set(key, loaded)
  let items = 0
  for (const v of cache.values()) items += v.items.length
  for (const [k, v] of cache) {
    if (cache.size <= CACHE_SETS && items <= CACHE_ITEMS) break
    if (k === key) continue
    cache.delete(k)
    items -= v.items.length
  }
  return loaded
}

/**
 * Everything a coverage, gaps or siting request computes over: the region's counties, the demand
 * of the layer at the right resolution (9 for a county, 8 for a whole city unless asked) and the
 * active stations that count. Unknown region/layer → 404; too much demand → 413 naming the limit.
 */
export async function loadPlanningInputs(deps: AppDeps, q: PlanningQuery): Promise<PlanningInputs> {
  const { sql, limits } = deps
  const regionCodes = await requireRegion(sql, q.region)
  const layerId = q.layer ?? (await defaultLayerOf(sql, regionCodes))
  const { layer, items, resolution } = await loadDemandCached(deps, { layer: layerId, regionCodes, resolution: q.resolution })
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
  const { id, name, name_en, unit, unit_en, source, licence, modelled, demo } = layer
  return { id, name, name_en, unit, unit_en, source, licence, modelled, demo }
}
