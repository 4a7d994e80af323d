/**
 * Where the rider page gets its stops: `GET /api/nearest` when the network answers, else the
 * stations of the counties saved earlier (service-worker cache), ranked on the phone by the same
 * pure core the API uses. What is saved is bounded whatever the data size (saved-counties.ts): per
 * county one page of /api/stations/columns with the COUNTY_CAP stations nearest to the rider and
 * only the fields a card shows. The service worker marks what it served from its cache
 * (x-atlas-from-cache) and when that copy was fetched (x-atlas-fetched-at), so the page can say
 * how old its data is.
 */
import type { Amenity } from '@core/station-kinds.ts'
import { fetchRiderStations, fetchRoadGraphBytes, fetchRoads, requestNearest } from '../api.ts'
import type { RiderStation, RiderStationProps } from '../types.ts'
import { swInControl } from './offline.ts'
import { copyServes, COUNTY_CAP, nearKey, reachOf, rememberCounty, savedCounties } from './saved-counties.ts'

/** A stop's trip from the rider along the roads (null fields: that mode cannot get there). */
export interface RoadTrip {
  ride_s: number | null
  ride_m: number | null
  walk_s: number | null
  walk_m: number | null
}

/** A listed stop: /api/nearest's feature (all fields) or one ranked on the phone from a saved county (the card's fields). */
export type RiderStop = RiderStation & {
  /** `road`: undefined when not ranked by road (no roads loaded), null when no road leads there */
  properties: RiderStationProps & { distance_m: number; bearing_deg: number; open?: boolean | null; road?: RoadTrip | null }
}

export interface Filters {
  openNow: boolean
  amenities: Amenity[]
}

export interface NearestResult {
  stops: RiderStop[]
  /** network: fresh from the API; cache: the service worker's copy or ranked on the phone */
  source: 'network' | 'cache'
  fetchedAt: Date
  /** ranked by riding time on this county's roads; null: straight-line (no roads loaded there) */
  byRoad: { county: string; extract: string } | null
}

export const LIMIT = 5
/** stops asked for and then ranked by road (the fastest by road need not be among the 5 nearest in a line) */
const ROAD_CANDIDATES = 20
/** a slow answer on patchy data is worse than a slightly older one we already have */
const NETWORK_TIMEOUT_MS = 10_000

export class NoOfflineData extends Error {}

function withTimeout(ms: number): { signal: AbortSignal; done: () => void } {
  const ctrl = new AbortController()
  const timer = setTimeout(() => ctrl.abort(new DOMException('timeout', 'TimeoutError')), ms)
  return { signal: ctrl.signal, done: () => clearTimeout(timer) }
}

function freshness(res: Response): { source: 'network' | 'cache'; fetchedAt: Date } {
  const at = res.headers.get('x-atlas-fetched-at')
  const cached = res.headers.get('x-atlas-from-cache') === '1'
  return { source: cached ? 'cache' : 'network', fetchedAt: at ? new Date(at) : new Date() }
}

/** Stations read from saved counties this visit (the search offers their names without another download). */
const loaded = new Map<string, RiderStation[]>()

/** Forgets the stations read this visit (someone edited a station: read them again). */
export function forgetLoaded(): void {
  loaded.clear()
}

/** One county's COUNTY_CAP stations nearest to `near`; the service worker keeps a copy under this URL for offline use. */
async function countyStations(code: string, near: [number, number]): Promise<{ stations: RiderStation[]; truncated: boolean; fetchedAt: Date; source: 'network' | 'cache' }> {
  const got = await fetchRiderStations({ region: code, near, limit: COUNTY_CAP })
  loaded.set(code, got.stations)
  return { stations: got.stations, truncated: got.truncated, ...freshness(got.res) }
}

/**
 * Saves the stations of the counties of these stops around `origin` (the rider), so the page works
 * offline there: again after a day, or sooner when the rider has left a partial copy's inner half.
 */
export async function prefetchCounties(codes: Iterable<string | null>, origin: [number, number]): Promise<void> {
  // only a request that passes through the service worker leaves a copy for offline use
  const controlled = await swInControl()
  const near = nearKey(origin)
  for (const code of new Set(codes)) {
    if (!code || copyServes(savedCounties()[code], origin)) continue
    try {
      const got = await countyStations(code, near)
      if (got.source === 'network' && controlled) {
        // and the county's roads: on a first visit the page fetched the graph before the service
        // worker was in control, so no copy was kept and offline ranking fell back to straight-line
        // (an HTTP revalidation by ETag when the browser has it already)
        const roads = await fetchRoads(code)
        if (roads.loaded) await fetchRoadGraphBytes(code)
        rememberCounty(code, { at: new Date().toISOString(), near, reach_m: got.truncated ? reachOf(near, got.stations) : null })
      }
    } catch {
      /* try again next time */
    }
  }
  // load the offline ranking code now, through the service worker, so it is there when the network is not
  if (controlled) await Promise.all([import('@core/rank-nearest.ts'), import('../road-graph.ts'), import('@core/network-travel.ts')]).catch(() => {})
}

/** The stations of every county saved on this phone (at most MAX_COUNTIES × COUNTY_CAP), for the search. */
export async function savedStations(): Promise<RiderStation[]> {
  const got = await Promise.all(Object.entries(savedCounties()).map(([code, s]) => loaded.get(code) ?? countyStations(code, s.near).then((g) => g.stations).catch(() => [])))
  return got.flat()
}

/** The nearest stops: the API when it answers, else the saved counties ranked on the phone. */
export async function nearest(origin: [number, number], f: Filters): Promise<NearestResult> {
  const t = withTimeout(NETWORK_TIMEOUT_MS)
  try {
    const res = await requestNearest(
      {
        lon: origin[0],
        lat: origin[1],
        limit: ROAD_CANDIDATES,
        ...(f.openNow ? { open_at: 'now' } : {}),
        ...(f.amenities.length ? { amenity: f.amenities.join(',') } : {}),
      },
      t.signal,
    )
    if (res.ok) {
      const body = await res.json()
      return ranked(origin, body.features as RiderStop[], freshness(res))
    }
    // a 4xx is our bug, not the network's: say so rather than hide it behind cached data
    if (res.status < 500) throw new Error(`GET /api/nearest: HTTP ${res.status}`)
  } catch (err) {
    if (err instanceof Error && err.message.startsWith('GET /api/nearest')) throw err
    // network error, timeout or 5xx: fall through to the saved stations
  } finally {
    t.done()
  }
  return nearestOffline(origin, f)
}

async function nearestOffline(origin: [number, number], f: Filters): Promise<NearestResult> {
  const saved = Object.entries(savedCounties())
  const read = await Promise.all(saved.map(([code, s]) => countyStations(code, s.near).catch(() => null)))
  const got = read.filter((x) => x !== null)
  if (!got.length) throw new NoOfflineData('no saved stations')
  const { rankNearest } = await import('@core/rank-nearest.ts')
  const stops = rankNearest(origin, got.flatMap((g) => g.stations), {
    limit: ROAD_CANDIDATES,
    amenities: f.amenities,
    ...(f.openNow ? { openAt: new Date() } : {}),
  }) as RiderStop[]
  const oldest = new Date(Math.min(...got.map((g) => g.fetchedAt.getTime())))
  return ranked(origin, stops, { source: 'cache', fetchedAt: oldest })
}

/** The first LIMIT stops: by riding time along the roads of the nearest stop's county when they are loaded, else by distance. */
async function ranked(origin: [number, number], stops: RiderStop[], meta: Pick<NearestResult, 'source' | 'fetchedAt'>): Promise<NearestResult> {
  const road = await rankByRoad(origin, stops).catch(() => null)
  return { stops: (road?.stops ?? stops).slice(0, LIMIT), byRoad: road?.byRoad ?? null, ...meta }
}

const fin = (x: number) => (Number.isFinite(x) ? x : null)

/**
 * Ride and walk times from the rider to each stop on the county's road graph (fetched once as
 * binary and kept by the service worker, so this works offline too), fastest ride first; stops no
 * road reaches go last, by distance. Null when no roads are loaded for the county.
 */
async function rankByRoad(origin: [number, number], stops: RiderStop[]): Promise<{ stops: RiderStop[]; byRoad: NonNullable<NearestResult['byRoad']> } | null> {
  const county = stops[0]?.properties.region_code
  if (!county) return null
  const roads = await fetchRoads(county)
  if (!roads.loaded || !roads.extract) return null
  // split out: the page's first load carries no routing code
  const [{ regionRoadGraph }, { travelFrom }] = await Promise.all([import('../road-graph.ts'), import('@core/network-travel.ts')])
  const g = await regionRoadGraph(county)
  if (!g) return null
  const from = { lon: origin[0], lat: origin[1] }
  const at = stops.map((s) => ({ lon: s.geometry.coordinates[0]!, lat: s.geometry.coordinates[1]! }))
  const ride = travelFrom(g.graph, from, at, { mode: 'ebike' })
  const walk = travelFrom(g.graph, from, at, { mode: 'foot' })
  const out = stops.map((s, i): RiderStop => {
    const trip = { ride_s: fin(ride.seconds[i]!), ride_m: fin(ride.metres[i]!), walk_s: fin(walk.seconds[i]!), walk_m: fin(walk.metres[i]!) }
    return { ...s, properties: { ...s.properties, road: trip.ride_s === null && trip.walk_s === null ? null : trip } }
  })
  const key = (s: RiderStop) => s.properties.road?.ride_s ?? (s.properties.road?.walk_s ?? Infinity) * 10
  out.sort((a, b) => key(a) - key(b) || a.properties.distance_m - b.properties.distance_m)
  return { stops: out, byRoad: { county, extract: roads.extract.file_name } }
}

/** The stops with open-now flags for those that came without one (the API sets `open` only when asked for open stops). */
export async function withOpenFlags(stops: RiderStop[], at = new Date()): Promise<RiderStop[]> {
  if (stops.every((s) => s.properties.open !== undefined)) return stops
  const { isOpenAt } = await import('@core/is-open-at.ts')
  return stops.map((s) => (s.properties.open === undefined ? { ...s, properties: { ...s.properties, open: isOpenAt(s.properties.opening_hours, at) } } : s))
}
