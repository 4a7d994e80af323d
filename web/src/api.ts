/**
 * The web's only way to the API (DESIGN §4): one Hono typed client for every page. Request and
 * response types are inferred from the routes' zod schemas (`InferRequestType`/`InferResponseType`
 * over `AppType`, `z.input` for bodies), so a route or schema change fails `tsc` in the page that
 * uses it instead of at run time. No URL is built by hand: paths come from the client's `$url`.
 */
import { hc, type InferRequestType, type InferResponseType } from 'hono/client'
import type { StationKind, StationStatus } from '@core/station-kinds.ts'
import type { AppType } from '../../api/src/app.ts'
import type { PlanningProgress } from '../../api/src/planning/planning-inputs.ts'
import type { ScenarioRequest, SitingRequest } from '../../api/src/schemas/planning.ts'
import type { AtlasConfig, RegionCollection, RegionSummary, RiderStation, StationFeature, StationLite } from './types.ts'
import { decodeRiderColumns, decodeStationColumns } from './station-columns.ts'
import { readNdjson, xhrFetch } from './upload-progress.ts'
import { readEventStream } from './event-stream.ts'

// Same origin in production and behind Vite's /api proxy in development.
const client = hc<AppType>(location.origin)
const api = client.api

export type { ScenarioRequest, SitingRequest }
export type CoverageQuery = InferRequestType<typeof api.coverage.$get>['query']
export type GapsQuery = InferRequestType<typeof api.gaps.$get>['query']
export type DemandQuery = InferRequestType<typeof api.demand.$get>['query']
export type NearestQuery = InferRequestType<typeof api.nearest.$get>['query']
export type ReportListQuery = InferRequestType<typeof api.reports.$get>['query']
export type ReportBody = InferRequestType<(typeof api.stations)[':id']['reports']['$post']>['json']
export type ReportPatch = InferRequestType<(typeof api.reports)[':id']['$patch']>['json']

export type CoverageResponse = InferResponseType<typeof api.coverage.$get, 200>
export type GapsResponse = InferResponseType<typeof api.gaps.$get, 200>
export type DemandResponse = InferResponseType<typeof api.demand.$get, 200>
export type DemandLayerInfo = InferResponseType<typeof api.demand.layers.$get, 200>['layers'][number]
export type SitingResponse = InferResponseType<typeof api.siting.$post, 200>
export type ScenarioSummary = InferResponseType<typeof api.scenarios.$get, 200>['scenarios'][number]
export type ScenarioDetail = InferResponseType<(typeof api.scenarios)[':id']['$get'], 200>
export type NearestResponse = InferResponseType<typeof api.nearest.$get, 200>
export type ReportCollection = InferResponseType<typeof api.reports.$get, 200>
export type Programmes = InferResponseType<typeof api.programmes.$get, 200>
export type RoadsSummary = InferResponseType<typeof api.roads.$get, 200>

/** The API's error shape (DESIGN §4) turned into an Error that says what failed. */
export async function apiError(res: Response, what: string): Promise<Error> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
  return new Error(`${what}: HTTP ${res.status}${body?.error?.message ? ` — ${body.error.message}` : ''}`)
}

/** The message of the API's error body, or `HTTP <status>`. */
export async function apiMessage(res: Response): Promise<string> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
  return body?.error?.message ?? `HTTP ${res.status}`
}

/** A path of the client (`/api/…?…`), e.g. as a cache key a test can request again. */
function pathOf(url: URL): string {
  return url.pathname + url.search
}

export async function fetchConfig(): Promise<AtlasConfig> {
  const res = await api.config.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/config')
  return res.json()
}

/** Whether roads are loaded for a region (so the network metric applies) and its graph's size. */
export async function fetchRoads(region: string): Promise<RoadsSummary> {
  const res = await api.roads.$get({ query: { region } })
  if (!res.ok) throw await apiError(res, 'GET /api/roads')
  return res.json()
}

/** The region's road graph as the compact binary of core/road-graph-binary.ts (cached by ETag; the rider's service worker keeps it offline). */
export async function fetchRoadGraphBytes(region: string): Promise<Uint8Array> {
  const res = await api.roads.graph.$get({ query: { region } })
  if (!res.ok) throw await apiError(res as Response, 'GET /api/roads/graph')
  return new Uint8Array(await res.arrayBuffer())
}

/** The TileJSON of the street tiles (absolute, as MapLibre's source `url` wants it). */
export function roadTileJsonUrl(): string {
  return api.tiles[':set'].$url({ param: { set: 'roads.json' } }).toString()
}

/** Regions with their full outlines: all, or one place (`region`: it and, for a city, its counties). */
export async function fetchRegions(region?: string): Promise<RegionCollection> {
  const res = await api.regions.$get({ query: region ? { region } : {} })
  if (!res.ok) throw await apiError(res, 'GET /api/regions')
  // types.ts narrows the schema's plain strings (level) for the map code
  return (await res.json()) as RegionCollection
}

/** Every region without its outline (bbox, label point, station counts per kind): a few KiB. */
export async function fetchRegionSummary(): Promise<RegionSummary> {
  const res = await api.regions.summary.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/regions/summary')
  // types.ts narrows the schema's plain strings (level) and the bbox tuple for the map code
  return (await res.json()) as RegionSummary
}

/** One station with every attribute (popups: tiles carry only id, kind, status, name); null: no such station. */
export async function fetchStation(id: string, signal?: AbortSignal): Promise<StationFeature | null> {
  const res = await api.stations[':id'].$get({ param: { id } }, signal ? { init: { signal } } : undefined)
  if (res.status === 404) return null
  if (!res.ok) throw await apiError(res, `GET /api/stations/${id}`)
  return (await res.json()) as StationFeature
}

/** `{z}/{x}/{y}` templates for MapLibre, from the client's own paths (the braces come back unescaped). */
function tileTemplate(url: URL): string {
  return location.origin + pathOf(url).replace(/%7B/gi, '{').replace(/%7D/gi, '}')
}
const XYZ = { z: '{z}', x: '{x}', y: '{y}.mvt' }

/** Station tiles; `v` = the stations version seen at /api/changes (a new URL per version, and the server waits for that index). */
export function stationTilesUrl(v?: number): string {
  return tileTemplate(api.tiles.stations[':z'][':x'][':y'].$url({ param: XYZ, query: v === undefined ? {} : { v: String(v) } }))
}

/** Region outline tiles, simplified per zoom (up to z 12; MapLibre overzooms them). */
export function regionTilesUrl(): string {
  return tileTemplate(api.tiles.regions[':z'][':x'][':y'].$url({ param: XYZ }))
}

export interface StationQuery {
  kind?: StationKind[]
  region?: string
  /** [west, south, east, north] in degrees */
  bbox?: [number, number, number, number]
  status?: StationStatus[]
}

/** A StationQuery as the query string of /api/stations and /api/stations/columns. */
function stationQueryParams(q: StationQuery, cursor: string | undefined) {
  return {
    ...(q.kind?.length ? { kind: q.kind.join(',') } : {}),
    ...(q.region ? { region: q.region } : {}),
    ...(q.bbox ? { bbox: q.bbox.join(',') } : {}),
    ...(q.status?.length ? { status: q.status.join(',') } : {}),
    ...(cursor ? { cursor } : {}),
  }
}

/** Most stations one columns download may bring (25 pages of 20 000): beyond, narrow the query. */
export const MAX_LITE_STATIONS = 500_000

/**
 * The stations matching `q` with only the fields the plan tab and the tour use, from the compact
 * column download (`/api/stations/columns`, pages of 20 000): ≈ 1/10 of the GeoJSON's bytes.
 * Bounded: more than MAX_LITE_STATIONS throws (the caller asks for one region at a time).
 */
export async function fetchStationLite(q: StationQuery = {}): Promise<StationLite[]> {
  const out: StationLite[] = []
  let cursor: string | undefined
  while (out.length <= MAX_LITE_STATIONS) {
    const res = await api.stations.columns.$get({
      query: stationQueryParams(q, cursor),
    })
    if (!res.ok) throw await apiError(res, 'GET /api/stations/columns')
    const c = await res.json()
    for (const f of decodeStationColumns(c)) out.push(f)
    if (!c.next_cursor) return out
    cursor = c.next_cursor
  }
  throw new Error(`GET /api/stations/columns: more than ${MAX_LITE_STATIONS} stations; ask for a smaller region`)
}

// ---------------------------------------------------------------- rider

export interface RiderStationsQuery {
  region: string
  /** [lon, lat]: the stations nearest to it */
  near: [number, number]
  /** how many at most (one page) */
  limit: number
}

/**
 * The `limit` active stations of a county nearest to `near`, with the fields a stop's card shows: one
 * bounded page of /api/stations/columns, whatever the county holds (the rider's offline copy, kept by
 * its service worker under this very URL). `truncated`: the county has more. `res` for its freshness headers.
 */
export async function fetchRiderStations(q: RiderStationsQuery): Promise<{ stations: RiderStation[]; truncated: boolean; res: Response }> {
  const res = await api.stations.columns.$get({
    query: { region: q.region, near: q.near.join(','), limit: String(q.limit), status: 'active', extra: 'amenities,address,phone,source' },
  })
  if (!res.ok) throw await apiError(res, 'GET /api/stations/columns')
  const c = await res.json()
  return { stations: decodeRiderColumns(c), truncated: c.truncated === true, res }
}

/** GET /api/nearest; the caller reads the response (its freshness headers, its status). */
export function requestNearest(query: NearestQuery, signal?: AbortSignal) {
  return api.nearest.$get({ query }, signal ? { init: { signal } } : undefined)
}

export async function sendReport(stationId: string, body: ReportBody): Promise<{ ok: true } | { ok: false; status: number; message: string }> {
  const res = await api.stations[':id'].reports.$post({ param: { id: stationId }, json: body })
  if (res.ok) return { ok: true }
  return { ok: false, status: res.status, message: await apiMessage(res) }
}

// ---------------------------------------------------------------- reports

export async function fetchReports(query: ReportListQuery): Promise<ReportCollection> {
  const res = await api.reports.$get({ query })
  if (!res.ok) throw await apiError(res, 'GET /api/reports')
  return res.json()
}

export async function patchReport(id: string, json: ReportPatch): Promise<void> {
  const res = await api.reports[':id'].$patch({ param: { id }, json })
  if (!res.ok) throw await apiError(res, `PATCH /api/reports/${id}`)
}

// ---------------------------------------------------------------- planning

/** Every layer, and each county's default layer (the planner opens with it). */
export async function fetchDemandLayerList(): Promise<{ layers: DemandLayerInfo[]; defaults: Record<string, string> }> {
  const res = await api.demand.layers.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/demand/layers')
  return res.json()
}

/** A demand layer's cells (or points) in a county or city; a city comes at res 8 unless asked. */
export async function fetchDemand(query: DemandQuery): Promise<DemandResponse> {
  const res = await api.demand.$get({ query })
  if (!res.ok) throw await apiError(res, 'GET /api/demand')
  return res.json()
}

export async function fetchCoverage(query: CoverageQuery): Promise<CoverageResponse> {
  const res = await api.coverage.$get({ query })
  if (!res.ok) throw await apiError(res, 'GET /api/coverage')
  return res.json()
}

export async function fetchGaps(query: GapsQuery): Promise<GapsResponse> {
  const res = await api.gaps.$get({ query })
  if (!res.ok) throw await apiError(res, 'GET /api/gaps')
  return res.json()
}

/** Where a streamed coverage or gaps run is (the server's `progress` events). */
export type { PlanningProgress }

/**
 * A streamed answer (Accept: text/event-stream): `progress` events to `onProgress`, then the `result`
 * — the same JSON as the plain request — or the `error` event turned into an Error like apiError's.
 * Aborting `signal` closes the stream, which stops the server's reads and its worker job.
 */
async function streamed<T>(res: Response, what: string, onProgress: (p: PlanningProgress) => void): Promise<T> {
  if (!res.ok || !res.body) throw await apiError(res, what)
  for await (const e of readEventStream(res.body)) {
    if (e.event === 'progress') onProgress(JSON.parse(e.data) as PlanningProgress)
    else if (e.event === 'result') return JSON.parse(e.data) as T
    else if (e.event === 'error') {
      const body = JSON.parse(e.data) as { status: number; error?: { message?: string } }
      throw new Error(`${what}: HTTP ${body.status}${body.error?.message ? ` — ${body.error.message}` : ''}`)
    }
  }
  throw new Error(`${what}: the stream ended without an answer`)
}

const SSE = { accept: 'text/event-stream' }

export async function streamCoverage(query: CoverageQuery, onProgress: (p: PlanningProgress) => void, signal?: AbortSignal): Promise<CoverageResponse> {
  return streamed<CoverageResponse>(await api.coverage.$get({ query }, { headers: SSE, init: { signal } }), 'GET /api/coverage', onProgress)
}

export async function streamGaps(query: GapsQuery, onProgress: (p: PlanningProgress) => void, signal?: AbortSignal): Promise<GapsResponse> {
  return streamed<GapsResponse>(await api.gaps.$get({ query }, { headers: SSE, init: { signal } }), 'GET /api/gaps', onProgress)
}

export const coveragePath = (query: CoverageQuery): string => pathOf(api.coverage.$url({ query }))
export const gapsPath = (query: GapsQuery): string => pathOf(api.gaps.$url({ query }))
export const demandPath = (query: DemandQuery): string => pathOf(api.demand.$url({ query }))

export async function postSiting(body: SitingRequest): Promise<SitingResponse> {
  const res = await api.siting.$post({ json: body })
  if (!res.ok) throw await apiError(res, 'POST /api/siting')
  return res.json()
}

export async function saveScenario(body: ScenarioRequest): Promise<ScenarioDetail> {
  const res = await api.scenarios.$post({ json: body })
  if (res.status !== 201) throw await apiError(res, 'POST /api/scenarios')
  return (await res.json()) as ScenarioDetail
}

export async function listScenarios(region?: string): Promise<ScenarioSummary[]> {
  const res = await api.scenarios.$get({ query: region ? { region } : {} })
  if (!res.ok) throw await apiError(res, 'GET /api/scenarios')
  return (await res.json()).scenarios
}

export async function fetchScenario(id: string): Promise<ScenarioDetail> {
  const res = await api.scenarios[':id'].$get({ param: { id } })
  if (!res.ok) throw await apiError(res, `GET /api/scenarios/${id}`)
  return res.json()
}

export async function deleteScenario(id: string): Promise<void> {
  const res = await api.scenarios[':id'].$delete({ param: { id } })
  if (res.status !== 204) throw await apiError(res, `DELETE /api/scenarios/${id}`)
}

/** Download link of a saved plan (the server names the file after the scenario). */
export function scenarioExportUrl(id: string, format: 'geojson' | 'csv'): string {
  return pathOf(api.scenarios[':id'].export.$url({ param: { id }, query: { format } }))
}

// ---------------------------------------------------------------- tour

export async function fetchProgrammes(): Promise<Programmes> {
  const res = await api.programmes.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/programmes')
  return res.json()
}

// ---------------------------------------------------------------- accounts (issue 11)

export type Me = InferResponseType<typeof api.auth.me.$get, 200>
export type User = NonNullable<Me['user']>
export type TokenInfo = InferResponseType<typeof api.tokens.$get, 200>['tokens'][number]
export type TokenCreated = InferResponseType<typeof api.tokens.$post, 201>
export type UserCreate = InferRequestType<typeof api.users.$post>['json']
export type UserPatch = InferRequestType<(typeof api.users)[':id']['$patch']>['json']

/** A refused request as the page shows it: the status, the API's message, its field issues and Retry-After. */
export interface ApiFailure {
  ok: false
  status: number
  message: string
  issues: { path: (string | number)[]; message: string }[]
  /** seconds, from Retry-After (429) */
  retryAfterS: number | null
}
export type ApiResult<T> = { ok: true; value: T } | ApiFailure

async function failure(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => null)) as { error?: { message?: string; issues?: ApiFailure['issues'] } } | null
  const retry = Number(res.headers.get('Retry-After'))
  return { ok: false, status: res.status, message: body?.error?.message ?? `HTTP ${res.status}`, issues: body?.error?.issues ?? [], retryAfterS: Number.isFinite(retry) && retry > 0 ? retry : null }
}

export async function fetchMe(): Promise<Me> {
  const res = await api.auth.me.$get()
  if (!res.ok) throw await apiError(res, 'GET /api/auth/me')
  return res.json()
}

export async function signIn(email: string, password: string): Promise<ApiResult<Me>> {
  const res = await api.auth.login.$post({ json: { email, password } })
  return res.ok ? { ok: true, value: (await res.json()) as Me } : failure(res)
}

export async function signOut(): Promise<ApiResult<null>> {
  const res = await api.auth.logout.$post()
  return res.ok || res.status === 401 ? { ok: true, value: null } : failure(res)
}

export async function changePassword(current_password: string, new_password: string): Promise<ApiResult<null>> {
  const res = await api.auth.password.$post({ json: { current_password, new_password } })
  return res.ok ? { ok: true, value: null } : failure(res)
}

export async function listTokens(): Promise<ApiResult<TokenInfo[]>> {
  const res = await api.tokens.$get()
  return res.ok ? { ok: true, value: (await res.json()).tokens } : failure(res)
}

export async function createToken(name: string): Promise<ApiResult<TokenCreated>> {
  const res = await api.tokens.$post({ json: { name } })
  return res.status === 201 ? { ok: true, value: (await res.json()) as TokenCreated } : failure(res)
}

export async function revokeToken(id: string): Promise<ApiResult<null>> {
  const res = await api.tokens[':id'].$delete({ param: { id } })
  return res.ok ? { ok: true, value: null } : failure(res)
}

export async function listUsers(): Promise<ApiResult<User[]>> {
  const res = await api.users.$get()
  return res.ok ? { ok: true, value: (await res.json()).users as User[] } : failure(res)
}

export async function createUser(json: UserCreate): Promise<ApiResult<User>> {
  const res = await api.users.$post({ json })
  return res.status === 201 ? { ok: true, value: (await res.json()) as User } : failure(res)
}

export async function updateUser(id: string, json: UserPatch): Promise<ApiResult<User>> {
  const res = await api.users[':id'].$patch({ param: { id }, json })
  return res.ok ? { ok: true, value: (await res.json()) as User } : failure(res)
}

// ---------------------------------------------------------------- editing stations (issue 11)

export type StationCreateBody = InferRequestType<typeof api.stations.$post>['json']
export type StationPatchBody = InferRequestType<(typeof api.stations)[':id']['$patch']>['json']
export type StationHistory = InferResponseType<(typeof api.stations)[':id']['history']['$get'], 200>
export type StationHistoryItem = StationHistory['items'][number]
export type Changes = InferResponseType<typeof api.changes.$get, 200>

/** A station write's outcome: the station, a 409 with the station as it is now, or another refusal. */
export type StationWriteResult = { ok: true; station: StationFeature } | { ok: false; conflict: StationFeature; status: 409; message: string } | (ApiFailure & { conflict?: undefined })

async function stationWrite(res: Response): Promise<StationWriteResult> {
  if (res.ok) return { ok: true, station: (await res.json()) as StationFeature }
  if (res.status === 409) {
    const body = (await res.clone().json().catch(() => null)) as { current?: StationFeature; error?: { message?: string } } | null
    if (body?.current) return { ok: false, status: 409, conflict: body.current, message: body.error?.message ?? 'conflict' }
  }
  return failure(res)
}

const ifMatch = (version: number) => ({ 'if-match': `"${version}"` })

export async function createStation(json: StationCreateBody): Promise<StationWriteResult> {
  return stationWrite(await api.stations.$post({ json }))
}

/** PATCH with the version the edit was based on (409 when someone wrote since). */
export async function patchStation(id: string, json: StationPatchBody): Promise<StationWriteResult> {
  return stationWrite(await api.stations[':id'].$patch({ param: { id }, header: {}, json }))
}

/** Retires (DELETE) the station, if it is still at `version`. */
export async function retireStation(id: string, version: number): Promise<StationWriteResult> {
  return stationWrite(await api.stations[':id'].$delete({ param: { id }, header: ifMatch(version) }))
}

/** Writes a new version equal to `version`, if the station is still at `current`. */
export async function restoreStation(id: string, version: number, current: number): Promise<StationWriteResult> {
  return stationWrite(await api.stations[':id'].restore.$post({ param: { id }, header: ifMatch(current), json: { version } }))
}

export async function fetchStationHistory(id: string): Promise<ApiResult<StationHistory>> {
  const res = await api.stations[':id'].history.$get({ param: { id } })
  return res.ok ? { ok: true, value: await res.json() } : failure(res)
}

/**
 * One bounded read of the stations in a box (every status, so a retired one can be restored):
 * at most `max` features, in pages of ≤ 1000; `truncated` when the box holds more.
 */
export async function fetchStationsInBox(bbox: [number, number, number, number], max: number, signal?: AbortSignal): Promise<{ features: StationFeature[]; truncated: boolean }> {
  const features: StationFeature[] = []
  let cursor: string | undefined
  while (features.length < max) {
    const limit = String(Math.min(1000, max - features.length))
    const res = await api.stations.$get({ query: { bbox: bbox.join(','), status: 'planned,active,retired', limit, ...(cursor ? { cursor } : {}) } }, signal ? { init: { signal } } : undefined)
    if (!res.ok) throw await apiError(res, 'GET /api/stations')
    const fc = await res.json()
    features.push(...(fc.features as StationFeature[]))
    if (!fc.next_cursor) return { features, truncated: false }
    cursor = fc.next_cursor
  }
  return { features, truncated: true }
}

/** GET /api/changes: the counters, or null for 304 (nothing changed since `etag`). */
export async function fetchChanges(etag: string | null, signal?: AbortSignal): Promise<{ changes: Changes; etag: string | null } | null> {
  const res = await api.changes.$get(undefined, { headers: etag ? { 'If-None-Match': etag } : {}, init: { cache: 'no-store', ...(signal ? { signal } : {}) } })
  if (res.status === 304) return null
  if (!res.ok) throw await apiError(res, 'GET /api/changes')
  return { changes: await res.json(), etag: res.headers.get('ETag') }
}

// ---------------------------------------------------------------- import and export

export type ImportForm = InferRequestType<typeof api.import.$post>['form']
type ImportAnswer = InferResponseType<typeof api.import.$post, 200>
/** A line of the progress answer (progress=true), and its last line */
type ImportProgressLine = Extract<ImportAnswer, { type: 'progress' }>
type ImportResultLine = Extract<ImportAnswer, { type: 'result' }>
export type ImportReport = Exclude<ImportAnswer, ImportProgressLine | ImportResultLine>
/** Where an import stands: bytes sent (upload), then rows read, checked and (apply) written. */
export type ImportProgress = { phase: 'upload'; done: number; total: number } | Omit<ImportProgressLine, 'type'>
export type ImportReportRow = ImportReport['rows'][number]
export type ImportRecord = InferResponseType<(typeof api.imports)[':id']['undo']['$post'], 200>
export type StationExportQuery = InferRequestType<typeof api.export.stations.$get>['query']

/** What an import request came back with: the report, a refused apply (its report too), or a plain failure. */
export type ImportOutcome =
  | { ok: true; report: ImportReport }
  | { ok: false; status: number; message: string; report?: ImportReport }

function importFailure(status: number, json: unknown): ImportOutcome {
  const body = json as { error?: { message?: string }; report?: ImportReport } | null
  return { ok: false, status, message: body?.error?.message ?? `HTTP ${status}`, ...(body?.report ? { report: body.report } : {}) }
}

/**
 * POST /api/import as multipart (the typed client's `form`: the File and the text fields, mapping and
 * placed as JSON strings), with progress: the upload's bytes sent (XMLHttpRequest through the client's
 * `fetch` option), then the server's progress lines (progress=true: NDJSON on the same answer), then
 * the outcome its last line carries. A refused apply ends 422 with `report`, which is passed on.
 */
export async function postImport(form: ImportForm, onProgress: (p: ImportProgress) => void): Promise<ImportOutcome> {
  const res = await api.import.$post({ form: { ...form, progress: 'true' } }, { fetch: xhrFetch((done, total) => onProgress({ phase: 'upload', done, total })) })
  // refused before the import began (a field's rule, sign-in, the body limit): a plain JSON error
  if (!res.ok || !res.body || !(res.headers.get('content-type') ?? '').startsWith('application/x-ndjson')) {
    return importFailure(res.status, await res.json().catch(() => null))
  }
  let result: ImportResultLine | null = null
  await readNdjson(res.body, (line) => {
    const l = line as ImportProgressLine | ImportResultLine
    if (l.type === 'progress') onProgress({ phase: l.phase, done: l.done, total: l.total })
    else result = l
  })
  const last = result as ImportResultLine | null
  if (!last) return { ok: false, status: 0, message: 'the answer ended before the import said how it went; run the dry run again' }
  return last.status === 200 ? { ok: true, report: last.body as ImportReport } : importFailure(last.status, last.body)
}

export type DemandImportForm = InferRequestType<typeof api.import.demand.$post>['form']
export type DemandImportReport = InferResponseType<typeof api.import.demand.$post, 200>

/** POST /api/import/demand (multipart): the report, or the refusal's message (and its report when rows were rejected). */
export async function postDemandImport(form: DemandImportForm): Promise<{ ok: true; report: DemandImportReport } | { ok: false; status: number; message: string }> {
  const res = await api.import.demand.$post({ form })
  if (res.ok) return { ok: true, report: await res.json() }
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
  return { ok: false, status: res.status, message: body?.error?.message ?? `HTTP ${res.status}` }
}

/** POST /api/demand/default: make a layer the default of a county (population: back to the modelled one). */
export async function setDefaultLayer(region: string, layer: string): Promise<{ ok: true; defaults: Record<string, string> } | { ok: false; message: string }> {
  const res = await api.demand.default.$post({ json: { region, layer } })
  if (res.ok) return { ok: true, defaults: (await res.json()).defaults }
  const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
  return { ok: false, message: body?.error?.message ?? `HTTP ${res.status}` }
}

/** The planner's address for a county on a layer. */
export const plannerUrl = (q: { region: string; layer: string }) => `/?tab=plan&region=${encodeURIComponent(q.region)}&layer=${encodeURIComponent(q.layer)}`

export async function undoImport(id: string): Promise<{ ok: true; value: ImportRecord } | { ok: false; message: string }> {
  const res = await api.imports[':id'].undo.$post({ param: { id } })
  if (res.ok) return { ok: true, value: await res.json() }
  return { ok: false, message: await apiMessage(res) }
}

/** The download URL of stations filtered like the map (a link the browser follows; no URL built by hand). */
export function stationExportUrl(query: StationExportQuery): string {
  return pathOf(api.export.stations.$url({ query }))
}

export type LoadedPlaces = InferResponseType<typeof api.places.$get, 200>

/** GET /api/places: OSM towns and villages loaded with the roads whose name holds `q` (empty without roads). */
export async function searchLoadedPlaces(q: string, limit = 6, signal?: AbortSignal): Promise<LoadedPlaces> {
  const res = await api.places.$get({ query: { q, limit: String(limit) } }, { init: { signal } })
  if (!res.ok) throw await apiError(res, 'GET /api/places')
  return res.json()
}
