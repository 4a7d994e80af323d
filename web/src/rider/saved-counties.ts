/**
 * Which counties' stations this phone keeps for offline use (localStorage; the stations themselves
 * are the service worker's copies of the /api/stations/columns URL each entry names). Bounded
 * whatever the data size: at most COUNTY_CAP stations per county — the ones nearest to where the
 * rider was — and MAX_COUNTIES counties, the most recently saved.
 */
import { greatCircleDistance } from '@core/great-circle-distance.ts'

/** Stations saved per county at most (≈ 60 KiB gzipped): a county of 10^5 stations is cut to those nearest the rider. */
export const COUNTY_CAP = 2000
/** Counties saved at once; web/public/rider-sw.js keeps as many copies (MAX_COUNTIES there too). */
export const MAX_COUNTIES = 6
/** A copy is saved again after a day. */
const MAX_AGE_MS = 86_400_000
const KEY = 'atlas.rider.saved'
/** the earlier format (every station of the county, by date): dropped on the first read */
const OLD_KEY = 'atlas.rider.counties'

export interface SavedCounty {
  /** when it was saved (ISO 8601) */
  at: string
  /** [lon, lat] (10^-4°) the saved stations are the nearest to: part of the URL, so the copy is found again */
  near: [number, number]
  /** metres from `near` to the farthest saved station when the county had more than COUNTY_CAP; null: the whole county */
  reach_m: number | null
}

export type SavedCounties = Record<string, SavedCounty>

const isEntry = (v: unknown): v is SavedCounty => {
  const e = v as SavedCounty
  return !!e && typeof e.at === 'string' && Array.isArray(e.near) && e.near.length === 2 && e.near.every(Number.isFinite) && (e.reach_m === null || Number.isFinite(e.reach_m))
}

/** The saved counties in `text` (what localStorage holds); anything malformed is left out. */
export function parseSaved(text: string | null): SavedCounties {
  try {
    const v = JSON.parse(text ?? '{}') as unknown
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
    return Object.fromEntries(Object.entries(v).filter(([code, e]) => /^\d{6}$/.test(code) && isEntry(e))) as SavedCounties
  } catch {
    return {}
  }
}

/** `saved` with `code` saved now, keeping the `max` most recently saved counties. */
export function withCounty(saved: SavedCounties, code: string, entry: SavedCounty, max = MAX_COUNTIES): SavedCounties {
  const all = Object.entries({ ...saved, [code]: entry }).sort((a, b) => Date.parse(b[1].at) - Date.parse(a[1].at))
  return Object.fromEntries(all.slice(0, max))
}

/** Whether the saved copy still serves a rider at `origin`: saved within a day and, for a partial copy, `origin` inside half its reach. */
export function copyServes(saved: SavedCounty | undefined, origin: readonly [number, number], now = Date.now()): boolean {
  if (!saved || !(Date.parse(saved.at) > now - MAX_AGE_MS)) return false
  return saved.reach_m === null || greatCircleDistance(saved.near, origin) < saved.reach_m / 2
}

/** The request position for `origin`: rounded to 10^-4° (≈ 10 m), so nearby starts share one URL. */
export const nearKey = (origin: readonly [number, number]): [number, number] => [Math.round(origin[0] * 1e4) / 1e4, Math.round(origin[1] * 1e4) / 1e4]

/** Metres from `near` to the farthest of `points`. */
export function reachOf(near: readonly [number, number], points: readonly { geometry: { coordinates: number[] } }[]): number {
  let r = 0
  for (const p of points) r = Math.max(r, greatCircleDistance(near, p.geometry.coordinates as [number, number]))
  return r
}

export function savedCounties(): SavedCounties {
  try {
    localStorage.removeItem(OLD_KEY)
    return parseSaved(localStorage.getItem(KEY))
  } catch {
    return {}
  }
}

export function rememberCounty(code: string, entry: SavedCounty): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(withCounty(savedCounties(), code, entry)))
  } catch {
    /* storage full or blocked: offline ranking simply has less to work with */
  }
}
