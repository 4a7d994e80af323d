import { ApiError } from '../http/errors.ts'

/**
 * What a planning request may hold in memory, instead of a fixed count of demand items (issue 13
 * item 5): the request's size is estimated from its row counts before anything is read, refused
 * with 413 when it alone exceeds the budget, and reserved while it runs, so requests running at
 * once never hold more than the budget together (the next one waits for a 503 + Retry-After).
 *
 * Calibrated with `npm run bench-province` (the server's VmHWM after the runs over its RSS after
 * start-up, before any request: worker threads and garbage V8 had not yet collected included) on the
 * scale set (10^5 stations, 10^6 demand points) at three sizes, coverage then coverage again then
 * gaps on one server: 286k rows + 28k stations peaked at 271–478 MiB (of which ≈ 215 MiB was the
 * worker threads starting: 263 MiB over the ready server), 583k + 57k at 460–466 MiB, 10^6 + 98k at
 * 711–740 MiB. The per-row figures of the earlier estimate (400 B, 600 B: 438 MiB at
 * 10^6) ran low. Per demand row: the packed arrays read (≈ 45 B with the h3 text), the rows of each
 * 50,000-row slice as postgres.js parses them, the h3 text again in the worker, the DemandItem
 * objects (≈ 150 B with their strings and boxed numbers), masks and indexes.
 */
export const BYTES_PER_DEMAND_ITEM = 750
/** A station as read (id, kind, name, hours text), as a Site in the worker, and in the site grid. */
export const BYTES_PER_STATION = 1000
/**
 * On top, for a demand read in slices (over CACHED_DEMAND_ROWS rows): what the worker's heap grows by
 * beyond the items themselves (young generation, the transferred arrays and the unpacked copies side
 * by side) — the part that does not shrink with the request, which made the smallest size's peak
 * the highest per row.
 */
export const SLICED_RUN_BYTES = 192 * 2 ** 20
/** Default PLANNING_MEMORY_MB: a province run (10^6 demand rows, 10^5 stations ≈ 0.95 GB estimated) fits, two at once do not. */
export const DEFAULT_PLANNING_MEMORY_MB = 1280

/**
 * A demand item in a GeoJSON answer (/api/demand, exports): the item, its Feature and its share of
 * the JSON text, which all exist at once while the answer is written.
 */
export const BYTES_PER_GEOJSON_ITEM = 1000
/** A row read as an object (h3, lon, lat, weight, region, name) before it is summed to a coarser cell. */
export const BYTES_PER_ROW_READ = 200

export interface PlanningEstimate {
  items: number
  stations: number
  bytes: number
  /** the demand is read in slices (SLICED_RUN_BYTES counted) */
  sliced?: boolean
}

/** `sliced`: the demand will be read in slices into the worker (a province), not through the cache. */
export function estimatePlanning(items: number, stations: number, sliced = false): PlanningEstimate {
  return { items, stations, sliced, bytes: items * BYTES_PER_DEMAND_ITEM + stations * BYTES_PER_STATION + (sliced ? SLICED_RUN_BYTES : 0) }
}

/**
 * A GeoJSON answer over `rows` stored items, as a PlanningEstimate (no stations). Summed to a
 * coarser H3 resolution (`coarser` levels up), about a seventh of the cells remain per level, and
 * only those become Features.
 */
export function estimateGeoJson(rows: number, coarser = 0): PlanningEstimate {
  const items = coarser > 0 ? Math.ceil(rows / 7 ** coarser) : rows
  return { items, stations: 0, bytes: (coarser > 0 ? rows * BYTES_PER_ROW_READ : 0) + items * BYTES_PER_GEOJSON_ITEM }
}

const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20)} MB`

/** Megabytes → bytes for the env; RangeError naming the variable when it is not a positive number. */
export function planningMemoryBytes(value: string | undefined, name = 'PLANNING_MEMORY_MB'): number {
  if (value === undefined || value === '') return DEFAULT_PLANNING_MEMORY_MB * 2 ** 20
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new RangeError(`${name} must be a positive number of megabytes, got ${JSON.stringify(value)}`)
  return Math.floor(n * 2 ** 20)
}

/** One process's planning memory: reservations by the requests running now. */
export class MemoryBudget {
  private used = 0

  constructor(readonly bytes: number) {
    if (!(bytes > 0)) throw new RangeError(`the planning memory budget must be > 0 bytes, got ${bytes}`)
  }

  /** Bytes reserved by requests running now. */
  get inUse(): number {
    return this.used
  }

  /**
   * Reserves `e.bytes` for one request; call the returned function when it is done (it is safe to
   * call twice). Throws 413 `too_large` when the request alone exceeds the budget — naming the
   * budget, the estimate and what to do — and 503 `over_budget` (Retry-After 2 s) when it fits alone
   * but not beside the requests running now.
   */
  reserve(e: PlanningEstimate, what: string): () => void {
    if (e.bytes > this.bytes) {
      throw new ApiError(
        413,
        'too_large',
        `${what} needs an estimated ${mb(e.bytes)} (${e.items} demand items ≈ ${Math.round((e.bytes - e.stations * BYTES_PER_STATION - (e.sliced ? SLICED_RUN_BYTES : 0)) / Math.max(1, e.items))} B each + ${e.stations} stations × ${BYTES_PER_STATION} B${e.sliced ? ` + ${mb(SLICED_RUN_BYTES)} for a read in slices` : ''}), over the planning memory budget of ${mb(this.bytes)} (PLANNING_MEMORY_MB); choose a smaller region or a coarser resolution, or raise PLANNING_MEMORY_MB`,
        [{ path: ['region'], message: `at most ${mb(this.bytes)} of planning memory per request (PLANNING_MEMORY_MB)` }],
      )
    }
    if (this.used + e.bytes > this.bytes) {
      throw new ApiError(
        503,
        'over_budget',
        `${what} needs an estimated ${mb(e.bytes)}; planning requests running now hold ${mb(this.used)} of the ${mb(this.bytes)} budget (PLANNING_MEMORY_MB); retry in a moment`,
        undefined,
        { 'Retry-After': '2' },
      )
    }
    this.used += e.bytes
    let released = false
    return () => {
      if (released) return
      released = true
      this.used -= e.bytes
    }
  }
}
