/**
 * The planner's `window.__atlas` (published by the page skeleton, ../page/hooks.ts): what browser
 * tests and curious planners in the console can read. `idle` is true once stations are loaded,
 * deck.gl has drawn them and the map has gone idle; it drops back to false whenever the map moves,
 * loads or the layers change (../page/idle.ts).
 */
import type { Lang } from '../i18n/lang.ts'
import type { PageHooks } from '../page/hooks.ts'
import type { StationProps } from '../types.ts'

export interface AtlasHooks extends PageHooks {
  /** stations the map holds (planned and active, from the maintained region counts; drawn from tiles) */
  stationsLoaded: number
  /** of those, the stations of the kinds ticked in the legend (what the map's filter shows) */
  stationsDrawn: number
  /** stations the planning tab downloaded for its region (bounded by the region, never the whole table) */
  planStationsLoaded: number
  /** screen position (CSS px, relative to the viewport) of a station, or null if unknown/off screen */
  stationScreenPoint(id: string): { x: number; y: number } | null
  /** id of the station deck.gl picks at a viewport point, or null */
  pickStationAt(x: number, y: number): string | null
  /** a station's properties as the display layer shows them (at its tiles' stations version), or null */
  stationProps(id: string): StationProps | null
  /** region label texts currently placed on the map */
  renderedLabels(): string[]
  /** status of the font files MapLibre registered from the style's `font-faces` */
  mapFontFaces(): string[]
  /** street features (road tiles) MapLibre has drawn in the view, and the road names among them */
  renderedRoads(): { lines: number; names: string[]; places: string[] }
  /** moves the camera at once (tests and screenshots) */
  jumpTo(lon: number, lat: number, zoom: number): void
}

declare global {
  interface Window {
    __atlas: AtlasHooks
  }
}

export function mapHooks(lang: Lang): AtlasHooks {
  return {
    idle: false,
    stationsLoaded: 0,
    stationsDrawn: 0,
    planStationsLoaded: 0,
    lang,
    error: null,
    stationScreenPoint: () => null,
    pickStationAt: () => null,
    stationProps: () => null,
    renderedLabels: () => [],
    renderedRoads: () => ({ lines: 0, names: [], places: [] }),
    jumpTo: () => {},
    mapFontFaces: () => [...document.fonts].filter((f) => f.family.startsWith('maplibre-gl-font-face')).map((f) => f.status),
  }
}
