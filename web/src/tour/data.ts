/**
 * What the tour reads from the API, through a small cache: each stop's figures are fetched once
 * and re-used on every loop (a kiosk loops for days), refreshed after `TTL_MS` so edits to the
 * station data reach the screen, and the cache never holds more than `MAX_ENTRIES` responses.
 *
 * /api/coverage, /api/gaps and /api/demand follow the issue-3 contract; they are read with plain
 * fetch and typed here (narrowly: only the fields the tour shows).
 */
import type { Feature, FeatureCollection, MultiPolygon, Point, Polygon } from 'geojson'
import { hc } from 'hono/client'
import type { AppType } from '../../../api/src/app.ts'
import type { StationKind } from '@core/station-kinds.ts'
import type { Programmes } from '../../../api/src/schemas/programme.ts'
import { apiError } from '../api.ts'

export type { Programmes }
export type Programme = Programmes['programmes'][number]

export interface LayerMeta {
  id: string
  name: string
  name_en: string
  unit: string
  unit_en: string
  modelled: boolean
  demo: boolean
  source: string
}

export interface Coverage {
  covered: number
  total: number
  ratio: number
  by_region: Array<{ code: string; covered: number; total: number; ratio: number }>
  layer: LayerMeta
  kind: string | null
  radius_m: number | null
}

export interface GapProps {
  rank: number
  demand: number
  area_km2: number
  nearest_station_m: number | null
  region_code: string | null
  centroid: [number, number]
  cells: string[]
}
export type GapFeature = Feature<Polygon | MultiPolygon, GapProps>
export type GapCollection = FeatureCollection<Polygon | MultiPolygon, GapProps>

export interface DemandProps {
  h3: string
  weight: number
  region_code: string | null
}
export type DemandCollection = FeatureCollection<Point, DemandProps> & { layer: LayerMeta & { resolution: number } }

const client = hc<AppType>(location.origin)

export const TTL_MS = 10 * 60_000
export const MAX_ENTRIES = 64

interface Entry {
  at: number
  value: Promise<unknown>
}
const cache = new Map<string, Entry>()

/** GETs `path` (JSON), cached; a failed request is dropped from the cache so the next loop retries. */
export function cachedGet<T>(path: string, load: () => Promise<T> = () => getJson<T>(path)): Promise<T> {
  const now = Date.now()
  const hit = cache.get(path)
  if (hit && now - hit.at < TTL_MS) {
    // most recently used last, so eviction drops the oldest
    cache.delete(path)
    cache.set(path, hit)
    return hit.value as Promise<T>
  }
  const value = load()
  cache.set(path, { at: now, value })
  value.catch(() => cache.get(path)?.value === value && cache.delete(path))
  while (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!)
  return value
}

export function cacheSize(): number {
  return cache.size
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } })
  if (!res.ok) throw await apiError(res, `GET ${path}`)
  return (await res.json()) as T
}

function query(params: Record<string, string | number | null | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v))
  return q.toString()
}

export interface FigureQuery {
  region: string
  kind: StationKind | null
  layer: string
}

export function coveragePath(q: FigureQuery): string {
  return `/api/coverage?${query({ region: q.region, kind: q.kind, layer: q.layer })}`
}

/** The biggest gap; `resolution` = the hexagons' on screen, so the gap's cells are cells drawn. */
export function topGapPath(q: FigureQuery & { resolution?: number }): string {
  return `/api/gaps?${query({ region: q.region, kind: q.kind, layer: q.layer, limit: 1, resolution: q.resolution })}`
}

export function getDemand(region: string, layer: string, resolution: number): Promise<DemandCollection> {
  return cachedGet(`/api/demand?${query({ layer, region, resolution })}`)
}

export function getProgrammes(): Promise<Programmes> {
  return cachedGet('/api/programmes', async () => {
    const res = await client.api.programmes.$get()
    if (!res.ok) throw new Error(`GET /api/programmes: HTTP ${res.status}`)
    return (await res.json()) as Programmes
  })
}
