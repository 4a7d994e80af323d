/**
 * The page's only way to the API (DESIGN §4), through Hono's typed client: a route or schema
 * change in api/ fails `tsc` here instead of at run time.
 */
import { hc } from 'hono/client'
import type { AppType } from '../../api/src/app.ts'
import type { StationKind, StationStatus } from '@core/station-kinds.ts'
import type { AtlasConfig, RegionCollection, StationFeature } from './types.ts'

// Same origin in production and behind Vite's /api proxy in development.
const client = hc<AppType>(location.origin)

/** The API's error shape (DESIGN §4) turned into an Error that says what failed. */
export async function apiError(res: Response, what: string): Promise<Error> {
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

/**
 * All stations matching `q`, following `next_cursor` until the last page. `onFirstResponse` sees
 * the first page's response (the rider page reads its service-worker freshness headers there).
 */
export async function fetchAllStations(q: StationQuery = {}, { onFirstResponse }: { onFirstResponse?: (res: Response) => void } = {}): Promise<StationFeature[]> {
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
    if (page === 0) onFirstResponse?.(res)
    const fc = await res.json()
    features.push(...(fc.features as StationFeature[]))
    if (!fc.next_cursor) return features
    cursor = fc.next_cursor
  }
  throw new Error('GET /api/stations: more than 1000 pages')
}

// ---------------------------------------------------------------- planning (issue 3)

export async function fetchDemandLayers() {
  const res = await client.api.demand.layers.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/demand/layers')
  return (await res.json()).layers
}
export type DemandLayerInfo = Awaited<ReturnType<typeof fetchDemandLayers>>[number]

/** A demand layer's cells (or points) in a county or city; a city comes at res 8 unless asked. */
export async function fetchDemand(q: { layer: string; region: string; resolution?: number }) {
  const res = await client.api.demand.$get({
    query: { layer: q.layer, region: q.region, ...(q.resolution ? { resolution: String(q.resolution) } : {}) } as never,
  })
  if (!res.ok) throw await apiError(res, 'GET /api/demand')
  return res.json()
}
export type DemandResponse = Awaited<ReturnType<typeof fetchDemand>>

export interface PlanQuery {
  region: string
  /** null: every kind */
  kind: StationKind | null
  radius_m?: number | null
  layer: string
  /** HH:mm (today, China Standard Time) */
  at?: string | null
  resolution?: number
}

function planQuery(q: PlanQuery): Record<string, string> {
  return {
    region: q.region,
    layer: q.layer,
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.radius_m ? { radius_m: String(q.radius_m) } : {}),
    ...(q.at ? { at: q.at } : {}),
    ...(q.resolution ? { resolution: String(q.resolution) } : {}),
  }
}

export async function fetchCoverage(q: PlanQuery) {
  const res = await client.api.coverage.$get({ query: planQuery(q) as never })
  if (!res.ok) throw await apiError(res, 'GET /api/coverage')
  return res.json()
}

export async function fetchGaps(q: PlanQuery & { limit?: number }) {
  const res = await client.api.gaps.$get({ query: { ...planQuery(q), ...(q.limit ? { limit: String(q.limit) } : {}) } as never })
  if (!res.ok) throw await apiError(res, 'GET /api/gaps')
  return res.json()
}

export interface NetworkEdits {
  added: { id: string; lon: number; lat: number; name?: string }[]
  moved: { id: string; lon: number; lat: number }[]
  removed: string[]
}

export interface SitingRequest {
  kind: StationKind
  region: string
  count?: number
  target_ratio?: number
  radius_m?: number
  layer: string
  resolution?: number
  /** HH:mm (China Standard Time): only stations open then count as covering */
  at?: string
  edits?: NetworkEdits
}

export async function postSiting(body: SitingRequest) {
  const res = await client.api.siting.$post({ json: body as never })
  if (!res.ok) throw await apiError(res, 'POST /api/siting')
  return res.json()
}
export type SitingResponse = Awaited<ReturnType<typeof postSiting>>

export interface ScenarioRequest {
  name: string
  kind: StationKind
  region: string
  radius_m?: number
  layer: string
  at?: string
  resolution?: number
  edits: NetworkEdits
}

export async function saveScenario(body: ScenarioRequest) {
  const res = await client.api.scenarios.$post({ json: body as never })
  if (res.status !== 201) throw await apiError(res, 'POST /api/scenarios')
  return (await res.json()) as ScenarioDetail
}

export async function listScenarios(region?: string) {
  const res = await client.api.scenarios.$get({ query: region ? { region } : {} })
  if (!res.ok) throw await apiError(res, 'GET /api/scenarios')
  return (await res.json()).scenarios
}
export type ScenarioSummary = Awaited<ReturnType<typeof listScenarios>>[number]

export async function fetchScenario(id: string) {
  const res = await client.api.scenarios[':id'].$get({ param: { id } })
  if (!res.ok) throw await apiError(res, `GET /api/scenarios/${id}`)
  return res.json()
}
export type ScenarioDetail = Awaited<ReturnType<typeof fetchScenario>>

export async function deleteScenario(id: string): Promise<void> {
  const res = await client.api.scenarios[':id'].$delete({ param: { id } })
  if (res.status !== 204) throw await apiError(res, `DELETE /api/scenarios/${id}`)
}

/** Download link of a saved plan (the server names the file after the scenario). */
export function scenarioExportUrl(id: string, format: 'geojson' | 'csv'): string {
  const url = client.api.scenarios[':id'].export.$url({ param: { id }, query: { format } })
  return url.pathname + url.search
}
