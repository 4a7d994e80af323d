/**
 * Builds the MapLibre map every page uses: the offline basemap (or the configured remote style
 * with our county borders on top), metric scale, zoom buttons. Rotation and pitch are off: a
 * planner's map stays north-up and flat.
 */
import { Map, NavigationControl, prewarm, ScaleControl, setWorkerUrl, type FontFacesSpecification, type PaddingOptions, type StyleSpecification } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import type { Lang } from '../i18n/lang.ts'
import type { AtlasConfig } from '../types.ts'
import { LABEL_LAYER_IDS, labelTextField, regionLineLayers, regionSources, regionsTiled, type RegionMapData } from './region-layers.ts'
import { roadTileJsonUrl } from '../api.ts'
import { offlineStyle } from './offline-style.ts'
import { PLACE_LABEL_LAYER, ROAD_LAYER_IDS, ROAD_TEXT_LAYER_IDS } from './road-layers.ts'
import { setTiandituLanguage, tiandituStyle } from './tianditu-style.ts'
import type { BBox } from './bounds.ts'

// maplibre-gl 6 has no bundled worker blob: point it at the worker file Vite emits.
setWorkerUrl(workerUrl)
// Start the tile workers (fetch and evaluate their 150 KiB script) now, while the page waits for its
// first API answers, instead of when the map is created: the first tiles are parsed there.
prewarm()

export interface AtlasMapOptions {
  container: HTMLElement
  /** outlines as GeoJSON, or the summary with the region tiles' URL (`tiles`) */
  regions: RegionMapData
  /** the page refreshes its tile sources on /api/changes (no expiry reloads; see below) */
  followsChanges?: boolean
  config: AtlasConfig
  lang: Lang
  fontFaces: FontFacesSpecification
  /** initial view */
  bounds: BBox | null
  padding: PaddingOptions
}

/**
 * The basemap, first that applies: BASEMAP_STYLE_URL (an operator's own style), the Tianditu preset
 * (TIANDITU_KEY), else the offline style with streets when roads are loaded.
 */
function basemapStyle(o: AtlasMapOptions): { style: string | StyleSpecification; overlayLines: boolean } {
  if (o.config.basemap_style_url) return { style: o.config.basemap_style_url, overlayLines: true }
  if (o.config.tianditu) return { style: tiandituStyle(o.config.tianditu, o.lang, o.fontFaces), overlayLines: true }
  const roads = o.config.roads ?? null
  return { style: offlineStyle(o.regions, o.lang, o.fontFaces, roads ? { roads, tileJsonUrl: roadTileJsonUrl() } : null), overlayLines: false }
}

export function createAtlasMap(o: AtlasMapOptions): Map {
  const { style, overlayLines: remote } = basemapStyle(o)
  const map = new Map({
    container: o.container,
    style,
    ...(o.bounds ? { bounds: o.bounds, fitBoundsOptions: { padding: o.padding } } : { center: [117, 36], zoom: 4 }),
    attributionControl: false, // added by the page so it can follow the language
    dragRotate: false,
    pitchWithRotate: false,
    touchPitch: false,
    maxPitch: 0,
    renderWorldCopies: false,
    minZoom: 2,
    maxZoom: 17,
    // a page that follows GET /api/changes asks for new tiles itself (?v=): MapLibre's own expiry
    // reloads (max-age=2) answer 304, which MapLibre takes in without a repaint, so `idle` never came
    ...(o.followsChanges ? { refreshExpiredTiles: false } : {}),
  })
  map.touchZoomRotate.disableRotation()
  map.keyboard.disableRotation()
  if (remote) {
    // A remote or Tianditu basemap has its own land and labels; we add only the county and city lines.
    map.once('style.load', () => {
      for (const [id, source] of Object.entries(regionSources(o.regions))) map.addSource(id, source)
      for (const layer of regionLineLayers(regionsTiled(o.regions))) map.addLayer(layer)
    })
  }
  map.addControl(new NavigationControl({ showCompass: false }), 'top-right')
  map.addControl(new ScaleControl({ unit: 'metric', maxWidth: 120 }), 'bottom-left')
  return map
}

/** Switches the region labels (offline) or Tianditu's annotation layer to the UI language. */
export function setLabelLanguage(map: Map, lang: Lang, config?: AtlasConfig): void {
  for (const id of [...LABEL_LAYER_IDS, ...ROAD_TEXT_LAYER_IDS]) if (map.getLayer(id)) map.setLayoutProperty(id, 'text-field', labelTextField(lang))
  setTiandituLanguage(map, config?.tianditu, lang)
}

/**
 * Street lines, road names and place names MapLibre has drawn in the current view, each name as the
 * map shows it (test hooks).
 */
export function renderedRoads(map: Map): { lines: number; names: string[]; places: string[] } {
  const layers = [...ROAD_LAYER_IDS, PLACE_LABEL_LAYER].filter((id) => map.getLayer(id))
  if (!layers.length) return { lines: 0, names: [], places: [] }
  const features = map.queryRenderedFeatures({ layers: [...layers] })
  const shown = (layer: string) => {
    const field = map.getLayoutProperty(layer, 'text-field') as unknown
    const en = JSON.stringify(field).includes('name_en')
    return [...new Set(features.filter((f) => f.layer.id === layer).map((f) => String((en && f.properties.name_en) || f.properties.name)))]
  }
  return {
    lines: features.filter((f) => f.layer.id !== 'road-label' && f.layer.id !== PLACE_LABEL_LAYER).length,
    names: map.getLayer('road-label') ? shown('road-label') : [],
    places: map.getLayer(PLACE_LABEL_LAYER) ? shown(PLACE_LABEL_LAYER) : [],
  }
}
