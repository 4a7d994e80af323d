/**
 * `window.__atlas`: what browser tests (and curious planners in the console) can read.
 * `idle` is true once stations are loaded, deck.gl has drawn them and the map has gone idle;
 * it drops back to false whenever the map moves, loads or the layers change.
 */
import type { Lang } from './i18n.ts'

export interface AtlasHooks {
  idle: boolean
  /** stations loaded from the API */
  stationsLoaded: number
  /** stations in the layer deck.gl last drew */
  stationsDrawn: number
  lang: Lang
  error: string | null
  /** screen position (CSS px, relative to the viewport) of a station, or null if unknown/off screen */
  stationScreenPoint(id: string): { x: number; y: number } | null
  /** id of the station deck.gl picks at a viewport point, or null */
  pickStationAt(x: number, y: number): string | null
  /** region label texts currently placed on the map */
  renderedLabels(): string[]
  /** status of the font files MapLibre registered from the style's `font-faces` */
  mapFontFaces(): string[]
}

declare global {
  interface Window {
    __atlas: AtlasHooks
  }
}

export function installHooks(lang: Lang): AtlasHooks {
  const hooks: AtlasHooks = {
    idle: false,
    stationsLoaded: 0,
    stationsDrawn: 0,
    lang,
    error: null,
    stationScreenPoint: () => null,
    pickStationAt: () => null,
    renderedLabels: () => [],
    mapFontFaces: () => [...document.fonts].filter((f) => f.family.startsWith('maplibre-gl-font-face')).map((f) => f.status),
  }
  window.__atlas = hooks
  return hooks
}

/**
 * Tracks the three conditions behind `idle`. Call `layersChanged()` after handing deck.gl new
 * layers, `deckDrawn()` from its onAfterRender, `mapIdle()`/`mapBusy()` from map events.
 */
export class IdleTracker {
  private layerVersion = 0
  private drawnVersion = -1
  private mapIsIdle = false
  private loaded = false

  constructor(private readonly hooks: AtlasHooks, private readonly onChange: () => void = () => {}) {}

  stationsReady(): void {
    this.loaded = true
    this.update()
  }
  layersChanged(): void {
    this.layerVersion++
    this.update()
  }
  deckDrawn(): void {
    if (this.drawnVersion === this.layerVersion) return
    this.drawnVersion = this.layerVersion
    this.update()
    // the map may already have gone idle before deck drew: ask it for one more frame
    if (!this.hooks.idle) this.onChange()
  }
  mapIdle(): void {
    this.mapIsIdle = true
    this.update()
  }
  mapBusy(): void {
    this.mapIsIdle = false
    this.update()
  }
  private update(): void {
    this.hooks.idle = this.loaded && this.mapIsIdle && this.drawnVersion === this.layerVersion
  }
}
