/**
 * What the tour reads from the API, through a small cache: each stop's figures are fetched once
 * and re-used on every loop (a kiosk loops for days), refreshed after `TTL_MS` so edits to the
 * station data reach the screen, and the cache never holds more than `MAX_ENTRIES` responses.
 * Every request goes through the one API client (../api.ts); its paths are the cache keys.
 */
import type { StationKind } from '@core/station-kinds.ts'
import {
  coveragePath, demandPath, fetchCoverage, fetchDemand, fetchGaps, fetchProgrammes, gapsPath,
  type CoverageResponse, type DemandResponse, type GapsResponse, type Programmes,
} from '../api.ts'

export type { Programmes }
export type Programme = Programmes['programmes'][number]

/** The coverage fields the tour shows (the API's response type, narrowed). */
export type Coverage = Pick<CoverageResponse, 'covered' | 'total' | 'ratio' | 'by_region' | 'layer' | 'kind' | 'radius_m'>
export type GapCollection = GapsResponse
export type GapProps = GapsResponse['features'][number]['properties']
export type DemandCollection = DemandResponse

export const TTL_MS = 10 * 60_000
export const MAX_ENTRIES = 64

interface Entry {
  at: number
  value: Promise<unknown>
}
const cache = new Map<string, Entry>()

/** `load()`, cached under `key`; a failed request is dropped from the cache so the next loop retries. */
export function cachedGet<T>(key: string, load: () => Promise<T>): Promise<T> {
  const now = Date.now()
  const hit = cache.get(key)
  if (hit && now - hit.at < TTL_MS) {
    // most recently used last, so eviction drops the oldest
    cache.delete(key)
    cache.set(key, hit)
    return hit.value as Promise<T>
  }
  const value = load()
  cache.set(key, { at: now, value })
  value.catch(() => cache.get(key)?.value === value && cache.delete(key))
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return value
}

/** Drops the cached answers whose key `stale` names (an edit made them out of date). */
export function forgetCached(stale: (key: string) => boolean): void {
  for (const key of [...cache.keys()]) if (stale(key)) cache.delete(key)
}

export function cacheSize(): number {
  return cache.size
}

export interface FigureQuery {
  region: string
  kind: StationKind | null
  layer: string
}

/** A stop's figure requests: the path (what the cache and the test hooks hold) and its cached load. */
export interface FigureRequest<T> {
  path: string
  get(): Promise<T>
}

export function coverageRequest(q: FigureQuery): FigureRequest<CoverageResponse> {
  const query = { region: q.region, ...(q.kind ? { kind: q.kind } : {}), layer: q.layer }
  const path = coveragePath(query)
  return { path, get: () => cachedGet(path, () => fetchCoverage(query)) }
}

/** The biggest gap; `resolution` = the hexagons' on screen, so the gap's cells are cells drawn. */
export function topGapRequest(q: FigureQuery & { resolution?: number }): FigureRequest<GapsResponse> {
  const query = { region: q.region, ...(q.kind ? { kind: q.kind } : {}), layer: q.layer, limit: 1, ...(q.resolution ? { resolution: q.resolution } : {}) }
  const path = gapsPath(query)
  return { path, get: () => cachedGet(path, () => fetchGaps(query)) }
}

export function getDemand(region: string, layer: string, resolution: number): Promise<DemandCollection> {
  const query = { layer, region, resolution }
  return cachedGet(demandPath(query), () => fetchDemand(query))
}

export function getProgrammes(): Promise<Programmes> {
  return cachedGet('programmes', fetchProgrammes)
}
