/**
 * The page's only way to the API (DESIGN §4), through Hono's typed client: a route or schema
 * change in api/ fails `tsc` here instead of at run time.
 */
import { hc } from 'hono/client'
import type { AppType } from '../../api/src/app.ts'
import type { StationKind, StationStatus } from '../../api/src/core/station-kinds.ts'
import type { AtlasConfig, RegionCollection, StationFeature } from './types.ts'

// Same origin in production and behind Vite's /api proxy in development.
const client = hc<AppType>(location.origin)

/** The API's error shape (DESIGN §4) turned into an Error that says what failed. */
async function apiError(res: Response, what: string): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
  return new Error(`${what}: HTTP ${res.status}${body?.error?.message ? ` — ${body.error.message}` : ''}`)
}

export async function fetchConfig(): Promise<AtlasConfig> {
  const res = await client.api.config.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/config')
  return res.json()
}

export async function fetchRegions(): Promise<RegionCollection> {
  const res = await client.api.regions.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/regions')
  // types.ts narrows the schema's plain strings (level) for the map code
  return (await res.json()) as RegionCollection
}

export interface StationQuery {
  kind?: StationKind[]
  region?: string
  /** [west, south, east, north] in degrees */
  bbox?: [number, number, number, number]
  status?: StationStatus[]
}

/** All stations matching `q`, following `next_cursor` until the last page. */
export async function fetchAllStations(q: StationQuery = {}): Promise<StationFeature[]> {
  const features: StationFeature[] = []
  let cursor: string | undefined
  for (let page = 0; page < 1000; page++) {
    const res = await client.api.stations.$get({
      query: {
        ...(q.kind?.length ? { kind: q.kind.join(',') } : {}),
        ...(q.region ? { region: q.region } : {}),
        ...(q.bbox ? { bbox: q.bbox.join(',') } : {}),
        ...(q.status?.length ? { status: q.status.join(',') } : {}),
        ...(cursor ? { cursor } : {}),
      },
    })
    if (!res.ok) throw await apiError(res, 'GET /api/stations')
    const fc = await res.json()
    features.push(...(fc.features as StationFeature[]))
    if (!fc.next_cursor) return features
    cursor = fc.next_cursor
  }
  throw new Error('GET /api/stations: more than 1000 pages')
}
