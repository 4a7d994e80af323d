/**
 * `window.__atlas` on the rider page, for browser tests and curious developers: `idle` is true when
 * the list matches the current position and filters and the map (if it loaded) has gone idle.
 */
import type { Lang } from '../i18n/lang.ts'
import type { PageHooks } from '../page/hooks.ts'

export interface RiderHooks extends PageHooks {
  /** where the list is measured from, WGS-84 */
  origin: { lon: number; lat: number; source: string } | null
  /** 'network' or 'cache' (stale banner shown) */
  dataSource: 'network' | 'cache' | null
  /** listed stops, best first */
  stops: { id: string; name: string; distance_m: number; open: boolean | null | undefined; ride_s: number | null }[]
  /** the list is ranked by riding time on this county's roads; null: straight-line */
  byRoad: { county: string; extract: string } | null
  selectedId: string | null
  /** geolocation failed: the fallback (tap / search) is showing */
  fallback: string | null
  mapReady: boolean
  /** page position of a stop on the map, or null */
  stopScreenPoint(id: string): { x: number; y: number } | null
  /** the position is approximate: distances rounded and prefixed 约 */
  approx: boolean
  /** where the numbered circles and the rider's dot are drawn (page px, radius), once the map is up */
  markers(): { me: { x: number; y: number; r: number } | null; stops: { id: string; x: number; y: number; r: number }[] }
  /** [west, south, east, north] of the map view, once the map is up */
  mapBounds(): [number, number, number, number] | null
  /** page position of any lon/lat on the map, or null before the map is up */
  screenPoint(lonlat: [number, number]): { x: number; y: number } | null
  /** the map's layer ids, bottom to top */
  mapLayers(): string[]
}

/** The rider page's hooks before anything loaded (published by the page skeleton, ../page/hooks.ts). */
export function riderHooks(lang: Lang): RiderHooks {
  return {
    idle: false, error: null, lang, origin: null, dataSource: null, stops: [], byRoad: null, selectedId: null, fallback: null, mapReady: false,
    stopScreenPoint: () => null, approx: false, markers: () => ({ me: null, stops: [] }), mapBounds: () => null, mapLayers: () => [], screenPoint: () => null,
  }
}
