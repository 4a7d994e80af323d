/**
 * Planner page (`/`): offline basemap, stations and their coverage, legend with kind filter,
 * fly-to places, counts per place, station popups.
 */
import '../styles/index.ts'
import './planner.css'
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { PickingInfo } from '@deck.gl/core'
import { Popup, type AttributionControl } from 'maplibre-gl'
import { STATION_KINDS, type StationKind } from '../../../api/src/core/station-kinds.ts'
import { fetchAllStations, fetchConfig, fetchRegions } from '../api.ts'
import { byId } from '../dom.ts'
import { getLang, setLang, t } from '../i18n.ts'
import { inCircleOrder } from '../layers/station-style.ts'
import { stationLayers } from '../layers/station-layers.ts'
import { STATION_POINTS_LAYER_ID } from '../layers/station-points.ts'
import { setAttribution } from '../map/attribution.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import { createAtlasMap, setLabelLanguage } from '../map/create-map.ts'
import { fontFacesFromPage, stylesheetsLoaded } from '../map/fonts.ts'
import { LABEL_LAYER_IDS } from '../map/region-layers.ts'
import { placeLookup, programmePlaces, unionBBox } from '../places.ts'
import { IdleTracker, installHooks } from '../test-hooks.ts'
import type { AtlasConfig, StationFeature } from '../types.ts'
import { bindHeader, renderHeader } from './header.ts'
import { bindPanel, emptyCounts, renderPanel, renderPanelStatus, type KindCounts } from './panel.ts'
import { stationPopupHtml } from './popup.ts'

const NO_CONFIG: AtlasConfig = { basemap_style_url: null, basemap_attribution: null }
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches

async function main(): Promise<void> {
  const hooks = installHooks(getLang())
  setLang(getLang(), { remember: false }) // sets <html lang>; a ?lang= visit is not remembered
  const app = byId('app')
  const headerEl = byId('topbar')
  const panelEl = byId('panel')
  const mapEl = byId('map')

  renderHeader(headerEl, { showDemo: false })
  renderPanelStatus(panelEl, t('loading'))

  const stationsPromise = fetchAllStations()
  const [config, regions] = await Promise.all([fetchConfig().catch(() => NO_CONFIG), fetchRegions()])
  await stylesheetsLoaded()

  const places = programmePlaces(regions)
  const overview: BBox | null =
    unionBBox(places.map((p) => p.bbox)) ?? featuresBBox(regions.features.filter((f) => f.properties.focus))
  const padding = () => {
    const p = Math.round(Math.max(16, Math.min(56, mapEl.clientWidth * 0.05)))
    return { top: p, right: p, bottom: p + 24, left: p } // + room for the scale bar
  }

  const map = createAtlasMap({ container: mapEl, regions, config, lang: getLang(), fontFaces: fontFacesFromPage(), bounds: overview, padding: padding() })
  let attribution: AttributionControl = setAttribution(map, config.basemap_attribution)

  // --- state ---
  let all: StationFeature[] = []
  const visible = new Set<StationKind>(STATION_KINDS)
  let drawn: StationFeature[] = []
  let selectedId: string | null = null
  let activePlace: string | null = null
  // until the planner moves the map, keep the overview fitted to the map's size
  let followOverview = true
  const byKind: KindCounts = emptyCounts()
  const byPlace = new Map<string, KindCounts>()

  const tracker = new IdleTracker(hooks, () => map.triggerRepaint())
  const popup = new Popup({ closeButton: true, closeOnClick: false, maxWidth: 'none', offset: 12, className: 'station-popup', focusAfterOpen: false })
  popup.on('close', () => {
    if (selectedId === null) return
    selectedId = null
    updateLayers()
  })

  // interleaved: false — deck.gl 9.4's interleaved mode reads maplibre's private `map.transform`
  // and throws on maplibre-gl 6 (DESIGN §8). Overlaid, deck draws on its own canvas, synced on
  // every map render; we lose only drawing deck layers between basemap layers, which we don't need.
  const overlay = new MapboxOverlay({
    interleaved: false,
    layers: [],
    onClick: (info: PickingInfo) => select(info.layer?.id === STATION_POINTS_LAYER_ID ? (info.object as StationFeature) : null),
    onHover: (info: PickingInfo) => {
      map.getCanvas().style.cursor = info.object ? 'pointer' : ''
    },
    onAfterRender: () => {
      hooks.stationsDrawn = drawn.length
      tracker.deckDrawn()
    },
  })
  map.addControl(overlay)

  map.on('idle', () => tracker.mapIdle())
  map.on('movestart', (e) => {
    if ('originalEvent' in e && e.originalEvent) followOverview = false
  })
  map.on('resize', () => {
    if (followOverview && overview) map.fitBounds(overview, { padding: padding(), duration: 0 })
  })
  for (const busy of ['movestart', 'dataloading', 'styledataloading'] as const) map.on(busy, () => tracker.mapBusy())

  // --- rendering ---
  function updateLayers(): void {
    overlay.setProps({ layers: stationLayers({ stations: drawn, selectedId }) })
    tracker.layersChanged()
    map.triggerRepaint()
  }

  function renderUi(): void {
    mapEl.setAttribute('aria-label', t('mapLabel'))
    const hasDemo = all.some((s) => s.properties.source === 'demo')
    renderHeader(headerEl, { showDemo: hasDemo })
    renderPanel(panelEl, { visible, byKind, places, byPlace, activePlace, shown: drawn.length, total: all.length, hasDemo })
  }

  function refilter(): void {
    drawn = inCircleOrder(all.filter((s) => visible.has(s.properties.kind)))
    if (selectedId && !drawn.some((s) => s.properties.id === selectedId)) popup.remove()
    updateLayers()
    renderUi()
  }

  function select(station: StationFeature | null): void {
    if (!station) {
      if (popup.isOpen()) popup.remove()
      return
    }
    selectedId = station.properties.id
    popup.setLngLat(station.geometry.coordinates as [number, number]).setHTML(stationPopupHtml(station))
    if (!popup.isOpen()) popup.addTo(map)
    updateLayers()
    keepInView(popup.getElement())
  }

  /** Pans the map just enough to show the whole popup (small maps, stations near an edge). */
  function keepInView(el: HTMLElement | undefined): void {
    if (!el) return
    const margin = 10
    const box = el.getBoundingClientRect()
    const frame = mapEl.getBoundingClientRect()
    const shift = (lo: number, hi: number, min: number, max: number) =>
      hi - lo > max - min ? lo - min : lo < min ? lo - min : hi > max ? hi - max : 0
    const dx = shift(box.left, box.right, frame.left + margin, frame.right - margin)
    const dy = shift(box.top, box.bottom, frame.top + margin, frame.bottom - margin)
    if (dx || dy) map.panBy([dx, dy], { duration: reducedMotion ? 0 : 300 })
  }

  function flyTo(target: string): void {
    const bbox = target === 'all' ? overview : places.find((p) => p.code === target)?.bbox
    if (!bbox) return
    activePlace = target
    followOverview = target === 'all'
    map.fitBounds(bbox, { padding: padding(), maxZoom: 12.5, duration: reducedMotion ? 0 : 900 })
    renderUi()
  }

  function toggleLang(): void {
    setLang(getLang() === 'zh' ? 'en' : 'zh')
    hooks.lang = getLang()
    tracker.mapBusy()
    setLabelLanguage(map, getLang())
    attribution = setAttribution(map, config.basemap_attribution, attribution)
    const open = all.find((s) => s.properties.id === selectedId)
    if (open && popup.isOpen()) popup.setHTML(stationPopupHtml(open))
    renderUi()
    map.triggerRepaint()
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && popup.isOpen()) popup.remove()
  })
  bindHeader(headerEl, { onToggleLang: toggleLang, onTogglePanel: () => app.classList.toggle('panel-collapsed') })
  bindPanel(panelEl, {
    onToggleKind: (kind, on) => {
      if (on) visible.add(kind)
      else visible.delete(kind)
      refilter()
    },
    onFly: flyTo,
  })

  // --- test hooks ---
  hooks.stationScreenPoint = (id) => {
    const s = all.find((f) => f.properties.id === id)
    if (!s) return null
    const p = map.project(s.geometry.coordinates as [number, number])
    const r = mapEl.getBoundingClientRect()
    if (p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height) return null
    return { x: r.left + p.x, y: r.top + p.y }
  }
  hooks.pickStationAt = (x, y) => {
    const r = mapEl.getBoundingClientRect()
    const info = overlay.pickObject({ x: x - r.left, y: y - r.top, radius: 2, layerIds: [STATION_POINTS_LAYER_ID] })
    return (info?.object as StationFeature | undefined)?.properties.id ?? null
  }
  hooks.renderedLabels = () => {
    const layers = LABEL_LAYER_IDS.filter((id) => map.getLayer(id))
    if (!layers.length) return []
    const key = getLang() === 'en' ? 'name_en' : 'name'
    return map.queryRenderedFeatures({ layers: [...layers] }).map((f) => String(f.properties[key] ?? ''))
  }

  // --- stations ---
  all = await stationsPromise
  const placeOf = placeLookup(regions)
  for (const s of all) {
    const kind = s.properties.kind
    if (!(kind in byKind)) continue
    byKind[kind]++
    const place = placeOf(s.properties.region_code)
    if (!place) continue
    if (!byPlace.has(place)) byPlace.set(place, emptyCounts())
    byPlace.get(place)![kind]++
  }
  hooks.stationsLoaded = all.length
  refilter()
  tracker.stationsReady()
}

main().catch((err: unknown) => {
  const message = err instanceof Error ? err.message : String(err)
  console.error(err)
  if (window.__atlas) window.__atlas.error = message
  const panel = document.getElementById('panel')
  if (panel) renderPanelStatus(panel, t('loadFailed') + message, true)
})
