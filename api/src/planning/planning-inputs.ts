import type { DemandItem } from '../core/demand-item.ts'
import type { StationKind } from '../core/station-kinds.ts'
import { coverageSites, type CoverageSites } from '../db/coverage-sites.ts'
import { defaultLayerOf, defaultResolution, getDemandLayer, loadDemand } from '../db/demand.ts'
import { countDemandRows, readPackedDemand } from '../db/demand-stream.ts'
import { InvalidArgumentError } from '../db/errors.ts'
import { requirePlanningRegion, requireRegion } from '../db/regions.ts'
import type { AppDeps } from '../http/env.ts'
import { packDemand, packDemandAhead, type PackedDemand } from '../work/packed-demand.ts'
import { estimateGeoJson, estimatePlanning, MemoryBudget, type PlanningEstimate } from './memory-budget.ts'

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
 * Everything a siting or scenario request computes over: the region's counties, the demand
 * of the layer at the right resolution (9 for a county, 8 for a whole city unless asked) and the
 * active stations that count. Unknown region/layer → 404; over the memory budget (estimated from the
 * row count before reading) → 413 naming the budget and the estimate.
 */
export async function loadPlanningInputs(deps: AppDeps, q: PlanningQuery): Promise<PlanningInputs> {
  const { sql } = deps
  const regionCodes = await requireRegion(sql, q.region)
  const layerId = q.layer ?? (await defaultLayerOf(sql, regionCodes))
  // siting's demand always goes through the cache
  const estimate = await planningEstimateFor(sql, layerId, regionCodes, q.signal, Infinity)
  // checked, not reserved: these sets are cached and shared, and siting holds its own limits
  memoryBudgetOf(deps).reserve(estimate, `region ${q.region}`)()
  const { layer, items, resolution } = await loadDemandCached(deps, { layer: layerId, regionCodes, resolution: q.resolution })
  const sites = await coverageSites(sql, { kinds: q.kinds, regionCodes, radiusM: q.radiusM, at: q.at, signal: q.signal })
  return { regionCodes, resolution, layer, demand: items, ...sites }
}

/**
 * What a planning request over these counties is estimated to hold, from two small reads and
 * before anything else is: the layer's stored rows there and the stations coded to them.
 */
export async function planningEstimateFor(sql: AppDeps['sql'], layerId: string, regionCodes: readonly string[], signal?: AbortSignal, cachedRows = CACHED_DEMAND_ROWS): Promise<PlanningEstimate> {
  const rows = await countDemandRows(sql, layerId, regionCodes, signal)
  return estimatePlanning(rows, await stationsIn(sql, regionCodes), rows > cachedRows)
}

/** Planned and active stations coded to these regions (kept by triggers, migration 009): a read of a few rows. */
async function stationsIn(sql: AppDeps['sql'], regionCodes: readonly string[]): Promise<number> {
  const [row] = await sql<{ n: number }[]>`
    SELECT coalesce(sum(stations), 0)::int AS n FROM region_station_count WHERE region_code = ANY(${[...regionCodes]})`
  return row!.n
}

const budgets = new WeakMap<AppDeps, MemoryBudget>()

/** The app's planning memory budget (limits.planningMemoryBytes), one per app. */
export function memoryBudgetOf(deps: AppDeps): MemoryBudget {
  let b = budgets.get(deps)
  if (!b) budgets.set(deps, (b = new MemoryBudget(deps.limits.planningMemoryBytes)))
  return b
}

/**
 * A whole GeoJSON answer of a layer's items (/api/demand, the demand export), checked against the
 * memory budget from the row count before anything is read: 413 naming budget and estimate.
 */
export async function checkGeoJsonBudget(deps: AppDeps, q: { layerId: string; regionCodes: string[]; resolution?: number; what: string; signal?: AbortSignal }): Promise<void> {
  const layer = await getDemandLayer(deps.sql, q.layerId)
  const rows = await countDemandRows(deps.sql, layer.id, q.regionCodes, q.signal)
  const resolution = q.resolution ?? defaultResolution(q.regionCodes, layer)
  const coarser = layer.kind === 'h3' ? Math.max(0, layer.resolution - resolution) : 0
  memoryBudgetOf(deps).reserve(estimateGeoJson(rows, coarser), q.what)()
}

/** Where a streamed planning request is; sent to the page as server-sent events. */
export interface PlanningProgress {
  phase: 'region' | 'stations' | 'demand' | 'compute'
  /** demand rows read so far, of `items_total` */
  items_read: number
  items_total: number
  /** stations counted (null until they are read) */
  stations: number | null
  elapsed_ms: number
}

/** Up to this many rows go through the demand cache (objects, kept per layer version); beyond, packed slices. */
export const CACHED_DEMAND_ROWS = 150_000

export interface PlanningRun extends CoverageSites {
  regionCodes: string[]
  resolution: number
  layer: PlanningInputs['layer']
  demand: PackedDemand
  /** demand items (after aggregation when it is done here; before it when the worker does it) */
  items: number
  /** an h3 layer read at its stored resolution, to be summed to this one in the worker; else null */
  aggregateTo: number | null
  /** true: `demand` is this request's own (move it to the worker); false: cached and shared (copy it) */
  ownDemand: boolean
  /** gives the memory reservation back; call when the answer is built or the request failed */
  release: () => void
}

/**
 * The inputs of a coverage or gaps request at any size, up to a province or the whole data set
 * (issue 13 item 5): the rows are counted first and the request's memory reserved against the
 * budget (413 over it alone, 503 beside the requests running now); then the stations through their
 * index and the demand — through the cache up to CACHED_DEMAND_ROWS, beyond that in cancellable
 * slices straight into packed arrays. `onProgress` hears each phase and each slice.
 */
export async function loadPlanningRun(deps: AppDeps, q: PlanningQuery, onProgress: (p: PlanningProgress) => void = () => {}): Promise<PlanningRun> {
  const { sql } = deps
  const t0 = performance.now()
  const regionCodes = await requirePlanningRegion(sql, q.region)
  const layer = await getDemandLayer(sql, q.layer ?? (await defaultLayerOf(sql, regionCodes)))
  const resolution = planningResolution(regionCodes, layer, q.resolution)
  // reserved before the stations and the demand are read: over the budget, the 413 comes first
  const estimate = await planningEstimateFor(sql, layer.id, regionCodes, q.signal, deps.limits.cachedDemandRows ?? CACHED_DEMAND_ROWS)
  const total = estimate.items
  const release = memoryBudgetOf(deps).reserve(estimate, `region ${q.region}`)
  const progress = (phase: PlanningProgress['phase'], read: number, stations: number | null) =>
    onProgress({ phase, items_read: read, items_total: total, stations, elapsed_ms: Math.round(performance.now() - t0) })
  try {
    progress('region', 0, null)
    const sites = await coverageSites(sql, { kinds: q.kinds, regionCodes, radiusM: q.radiusM, at: q.at, signal: q.signal })
    progress('stations', 0, sites.sites.length)
    const common = { regionCodes, resolution, layer, ...sites, release }
    if (total <= (deps.limits.cachedDemandRows ?? CACHED_DEMAND_ROWS)) {
      const loaded = await loadDemandCached(deps, { layer: layer.id, regionCodes, resolution: q.resolution })
      progress('demand', total, sites.sites.length)
      progress('compute', total, sites.sites.length)
      return { ...common, resolution: loaded.resolution, demand: packDemand(loaded.items), items: loaded.items.length, aggregateTo: null, ownDemand: false }
    }
    const demand = await readPackedDemand(sql, {
      layerId: layer.id, regionCodes, expected: total, signal: q.signal, sliceRows: deps.limits.demandSliceRows,
      onSlice: (read) => progress('demand', read, sites.sites.length),
    })
    const aggregateTo = layer.kind === 'h3' && resolution < layer.resolution ? resolution : null
    progress('compute', demand.lon.length, sites.sites.length)
    return { ...common, demand, items: demand.lon.length, aggregateTo, ownDemand: true }
  } catch (err) {
    release()
    throw err
  }
}

/** The resolution a request computes on (db/demand.ts rules): 400 when finer than the layer's stored one. */
function planningResolution(regionCodes: readonly string[], layer: PlanningInputs['layer'], asked: number | undefined): number {
  const resolution = asked ?? defaultResolution(regionCodes, layer)
  if (layer.kind === 'h3' && resolution > layer.resolution) {
    throw new InvalidArgumentError(
      'resolution',
      `must be ≤ ${layer.resolution} for layer ${layer.id}`,
      `resolution: layer ${layer.id} is stored at resolution ${layer.resolution}; ask for ${layer.resolution} or coarser`,
    )
  }
  return layer.kind === 'h3' ? resolution : layer.resolution
}

/** The layer fields every planning response repeats, so a reader always sees modelled/demo. */
export function layerRef(layer: PlanningInputs['layer']) {
  const { id, name, name_en, unit, unit_en, source, licence, modelled, demo } = layer
  return { id, name, name_en, unit, unit_en, source, licence, modelled, demo }
}
