/**
 * Planner page (`/`): offline basemap, stations and their coverage, legend with kind filter,
 * fly-to places, counts per place, station popups; and the coverage-planning tab (plan-controller.ts):
 * unserved demand, ranked gaps, siting, what-if edits on the map, scenarios.
 *
 * The page never downloads all stations (issue 13): the map draws them from the station vector tiles
 * (layers/station-tile-layers.ts), the legend and place counts come from the maintained counts of
 * GET /api/regions/summary, a popup fetches its one station, the region outlines come as region
 * tiles, and only the planning tab loads stations — those within reach of the region it plans.
 */
import '../styles/index.ts'
import './planner.css'
import type { MapboxOverlay } from '@deck.gl/mapbox'
import { Popup, type AttributionControl, type MapGeoJSONFeature } from 'maplibre-gl'
import { fetchConfig, fetchDemandLayerList, fetchRegions, fetchRegionSummary, fetchStation, fetchStationLite, regionTilesUrl, stationTilesUrl } from '../api.ts'
import { byId } from '../dom.ts'
import { getLang, otherLang, setLang } from '../i18n/lang.ts'
import { t } from './strings.ts'
import { createStore } from '../page/store.ts'
import { initialMapTabState, toggleKind, type MapTabState } from './map-tab-state.ts'
import { loadOpenNow } from './open-now.ts'
import {
  refreshStationTiles, setCoverageLatitude, setStationKindFilter, stationSource, stationTileLayers,
  STATION_CLUSTER_LAYER, STATION_POINT_LAYER, STATION_TILE_LAYERS, STATIONS_SOURCE, STATIONS_SOURCE_LAYER,
} from '../layers/station-tile-layers.ts'
import { changePoller, onDataChange } from '../page/changes.ts'
import { regionCounts } from './region-counts.ts'
import { setAttribution } from '../map/attribution.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import { createAtlasMap, renderedRoads, setLabelLanguage } from '../map/create-map.ts'
import { fontFacesFromPage, LABEL_FONT_BOLD, stylesheetsLoaded } from '../map/fonts.ts'
import { LABEL_LAYER_IDS, refreshRegionTiles, type RegionMapData } from '../map/region-layers.ts'
import { markFirstTileDrawn } from '../map/first-draw.ts'
import { programmePlaces, unionBBox } from '../places.ts'
import { IdleTracker } from '../page/idle.ts'
import { startPage } from '../page/page.ts'
import { mapHooks, type AtlasHooks } from './map-hooks.ts'
import type { AtlasConfig, RegionCollection, StationFeature, StationProps } from '../types.ts'
import { KIND_INFO, STATION_KINDS } from '@core/station-kinds.ts'
import { bindHeader, renderHeader } from './header.ts'
import { useRegions } from '../page/account.ts'
import { bindPanel, renderPanel, renderPanelStatus } from './panel.ts'
import { stationPopupHtml } from './popup.ts'
import { PLAN_BADGES_LAYER_ID, PLAN_STATIONS_LAYER_ID } from '../layers/plan-layer-ids.ts'
import type { LiftedLabel } from '../layers/region-label-lift.ts'
import type { PlanTab } from './plan-tab.ts'
import { planHooks, type PlanHooks } from './plan-hooks.ts'
import { planPopupHtml } from './plan-popup.ts'
import { PROGRAMME_PLACE_CODES } from '../places.ts'
import { panelTabsHtml, type PanelTab } from './panel-tabs.ts'
import { editHooks, mountEditToggle, type EditHooks } from './edit/edit-toggle.ts'

const NO_CONFIG: AtlasConfig = { basemap_style_url: null, basemap_attribution: null }
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches
/** popups keep this far (px) from the map's edges (MapLibre's popup `padding` picks the side it fits on) */
const POPUP_MARGIN = 10

startPage<AtlasHooks & PlanHooks & EditHooks>({
  hooks: (lang) => ({ ...mapHooks(lang), ...planHooks(), ...editHooks() }),
  start: ({ hooks }) => runPlanner(hooks),
  fail(message) {
    const panel = document.getElementById('panel')
    if (panel) renderPanelStatus(panel, t('loadFailed') + message, true)
  },
})

async function runPlanner(hooks: AtlasHooks & PlanHooks & EditHooks): Promise<void> {
  const app = byId('app')
  const headerEl = byId('topbar')
  const panelEl = byId('panel')
  const mapEl = byId('map')

  renderHeader(headerEl, { showDemo: false })
  renderPanelStatus(panelEl, t('loading'))

  // outlines come as region tiles (simplified per zoom); the summary (a few KiB) has names, bounds and counts
  const [config, firstSummary] = await Promise.all([fetchConfig().catch(() => NO_CONFIG), fetchRegionSummary()])
  await stylesheetsLoaded()
  const regions: RegionMapData = { ...firstSummary, tiles: regionTilesUrl() }
  let summary = firstSummary

  useRegions(regions)
  const places = programmePlaces(regions)
  const overview: BBox | null =
    unionBBox(places.map((p) => p.bbox)) ?? featuresBBox(regions.features.filter((f) => f.properties.focus))
  const padding = () => {
    const p = Math.round(Math.max(16, Math.min(56, mapEl.clientWidth * 0.05)))
    return { top: p, right: p, bottom: p + 24, left: p } // + room for the scale bar
  }

  const map = createAtlasMap({ container: mapEl, regions, config, lang: getLang(), fontFaces: fontFacesFromPage(), bounds: overview, padding: padding(), followsChanges: true })
  performance.mark('atlas:map-created')
  markFirstTileDrawn(map, STATIONS_SOURCE, 'atlas:station-tile-drawn')
  // The station tiles go in as soon as the style is parsed, beside the basemap's own sources, so their
  // requests leave with the region tiles' in the first frame. (On 'load' they waited for the whole
  // basemap's first complete render: fonts, region tiles and all.)
  map.once('style.load', () => {
    const before = map.getLayer('county-label') ? 'county-label' : undefined // under the region names
    map.addSource(STATIONS_SOURCE, stationSource(stationTilesUrl()))
    for (const layer of stationTileLayers({ lat: map.getCenter().lat, font: LABEL_FONT_BOLD })) map.addLayer(layer, before)
    setStationKindFilter(map, state().visible)
    performance.mark('atlas:stations-source-added')
    tilesShown = null
    updateLayers()
    tracker.setReady(true)
  })
  let attribution: AttributionControl = setAttribution(map, config.basemap_attribution)

  // --- panel tabs: stations & places | coverage planning ---
  const store = createStore<MapTabState>(initialMapTabState(new URLSearchParams(location.search)))
  const state = () => store.get()
  panelEl.innerHTML = panelTabsHtml(state().tab)
  const stationsEl = byId('tab-stations')
  const planEl = byId('tab-plan')
  let plan: PlanTab | null = null

  // --- derived: station counts by kind and by place, from the summary's maintained counts ---
  let counts = regionCounts(summary)
  const shownCount = () => STATION_KINDS.reduce((n, k) => n + (state().visible.has(k) ? counts.byKind[k] : 0), 0)
  /** the station whose popup is open, as GET /api/stations/{id} returned it */
  let openStation: StationFeature | null = null

  const tracker = new IdleTracker(hooks, () => map.triggerRepaint())
  const popup = new Popup({ closeButton: true, closeOnClick: false, maxWidth: 'none', offset: 12, className: 'station-popup', focusAfterOpen: false, padding: { top: POPUP_MARGIN, right: POPUP_MARGIN, bottom: POPUP_MARGIN, left: POPUP_MARGIN } })
  popup.on('close', () => {
    const id = state().selectedId
    if (id === null) return
    store.set({ selectedId: null })
    openStation = null
    if (map.getSource(STATIONS_SOURCE)) map.removeFeatureState({ source: STATIONS_SOURCE, sourceLayer: STATIONS_SOURCE_LAYER, id })
  })

  // deck.gl (the planning tab's and edit mode's layers) loads on first need: deck-overlay.ts
  let deck: { overlay: MapboxOverlay; lib: typeof import('./deck-overlay.ts') } | null = null
  let deckLoading: Promise<MapboxOverlay> | null = null
  const loadDeck = (): Promise<MapboxOverlay> =>
    (deckLoading ??= import('./deck-overlay.ts').then((lib) => {
      const overlay = lib.createDeckOverlay(map, {
        onHover: (info) => {
          if (drag || edit.active()) return
          const planning = state().tab === 'plan'
          if (!planning) return // the stations tab's cursor: MapLibre's layer events below
          const draggable = planning && (info.layer?.id === PLAN_STATIONS_LAYER_ID || info.layer?.id === PLAN_BADGES_LAYER_ID) && plan?.isDraggable((info.object as { id: string }).id)
          map.getCanvas().style.cursor = draggable ? 'grab' : info.object ? 'pointer' : planning && plan?.tool === 'add' ? 'crosshair' : ''
        },
        onAfterRender: () => tracker.deckDrawn(),
      })
      deck = { overlay, lib }
      // from now on the county names are drawn by deck.gl, above its markers
      if (map.isStyleLoaded()) lib.liftRegionLabels(map)
      else map.once('load', () => lib.liftRegionLabels(map))
      liftLabels()
      return overlay
    }))
  /** whether the layers last drawn had the demand see-through (street zooms over loaded roads) */
  let seeThrough = false

  // --- edit mode (issue 11): its own layer above the display layer, its own sheet in the panel ---
  const edit = mountEditToggle(mapEl.parentElement!, {
    map,
    panel: panelEl,
    loadOverlay: loadDeck,
    outlines: () => loadOutlines(''),
    hooks,
    isStationsTab: () => state().tab === 'stations',
    onLayers: () => {
      if (edit.active() && popup.isOpen()) popup.remove()
      updateLayers()
    },
    // our own write: poll now, so the tiles get the new version's URL (and the counts) at once
    onWritten: () => void changePoller().pollNow(),
  })

  // county names above the deck.gl markers (region-label-lift.ts), once deck.gl is loaded: read what
  // MapLibre placed, once idle. Before that MapLibre draws them itself, above its station layers.
  let lifted: LiftedLabel[] = []
  let liftedVersion = 0
  function liftLabels(): void {
    if (!deck) return
    const next = deck.lib.placedLabels(map, getLang() === 'en' ? 'name_en' : 'name')
    const sig = (l: LiftedLabel[]) => l.map((x) => `${x.key}|${x.text}|${x.size.toFixed(1)}`).join(';')
    if (sig(next) !== sig(lifted)) {
      lifted = next
      liftedVersion++
      updateLayers()
    }
  }
  map.on('idle', () => {
    liftLabels()
    tracker.mapIdle()
  })
  // numbered siting badges are kept apart in screen space: place them again for the new zoom
  // and the demand goes see-through when zoomed in to the streets (and back)
  map.on('moveend', () => {
    const through = !!plan?.seeThrough(map.getZoom())
    if (state().tab === 'plan' && (plan?.hasSuggestions || through !== seeThrough)) updateLayers()
    setCoverageLatitude(map, map.getCenter().lat)
  })
  map.on('movestart', (e) => {
    if ('originalEvent' in e && e.originalEvent && state().followOverview) store.set({ followOverview: false })
  })
  map.on('resize', () => {
    if (state().followOverview && overview) map.fitBounds(overview, { padding: padding(), duration: 0 })
  })
  for (const busy of ['movestart', 'dataloading', 'styledataloading'] as const) map.on(busy, () => tracker.mapBusy())

  // --- rendering ---
  function updateLayers(): void {
    const planning = state().tab === 'plan'
    seeThrough = !!plan?.seeThrough(map.getZoom())
    const layers = planning && plan ? plan.layers(map.getZoom()) : (edit.layers() as [])
    // the station tiles are the display layer; the plan tab and edit mode (zoomed in) draw their own
    showStationTiles(!planning && !edit.hidesDisplay())
    tracker.layersChanged()
    if (deck) deck.overlay.setProps({ layers: [...layers, deck.lib.liftedLabelLayer(lifted, liftedVersion)] })
    else if (layers.length) void loadDeck().then(() => updateLayers())
    else tracker.deckDrawn() // nothing for deck.gl to draw, and no overlay to draw it
    map.triggerRepaint()
  }

  function renderUi(): void {
    mapEl.setAttribute('aria-label', t('mapLabel'))
    const { visible, activePlace } = state()
    const { byKind, byPlace, total, hasDemo } = counts
    renderHeader(headerEl, { showDemo: hasDemo })
    for (const b of panelEl.querySelectorAll<HTMLElement>('[data-tab]')) b.textContent = t(b.dataset.tab === 'plan' ? 'tabPlan' : 'tabStations')
    renderPanel(stationsEl, { visible, byKind, places, byPlace, activePlace, shown: shownCount(), total, hasDemo })
    hooks.stationsLoaded = total
    hooks.stationsDrawn = shownCount()
  }

  function refilter(): void {
    tracker.mapBusy() // the map redraws with the new filter and reports idle again
    setStationKindFilter(map, state().visible)
    if (openStation && !state().visible.has(openStation.properties.kind)) popup.remove()
    renderUi()
    map.triggerRepaint()
  }

  /** Opens the popup of a station picked on the map: the tile has its id, the API its every attribute. */
  let selecting: AbortController | null = null
  async function select(id: string, at: [number, number]): Promise<void> {
    selecting?.abort()
    const ctl = (selecting = new AbortController())
    let found: StationFeature | null
    try {
      found = await fetchStation(id, ctl.signal)
      if (!found) throw new Error(`GET /api/stations/${id}: 404`) // retired or removed since its tile was drawn
    } catch (err) {
      if (ctl.signal.aborted) return
      showPopup(at, () => `<p class="pop-error">${t('loadFailed')}${err instanceof Error ? err.message : String(err)}</p>`)
      return
    }
    if (ctl.signal.aborted) return
    const station = found
    const prev = state().selectedId
    if (prev && prev !== id) map.removeFeatureState({ source: STATIONS_SOURCE, sourceLayer: STATIONS_SOURCE_LAYER, id: prev })
    store.set({ selectedId: id })
    openStation = station
    map.setFeatureState({ source: STATIONS_SOURCE, sourceLayer: STATIONS_SOURCE_LAYER, id }, { selected: true })
    showPopup(station.geometry.coordinates as [number, number], () => stationPopupHtml(station))
  }

  /**
   * Opens the popup at a point, above or below it, whichever side it fits in (a station near the
   * map's top edge gets its popup below it, not cut off under the header); taller than either side,
   * its body scrolls. `html` renders again once open-now can be evaluated (a lazily loaded module).
   */
  function showPopup(at: [number, number], html: () => string): void {
    popup.setLngLat(at).setHTML(html())
    if (!popup.isOpen()) popup.addTo(map)
    fitPopup(at)
    void loadOpenNow().then(() => {
      if (!popup.isOpen()) return
      popup.setHTML(html())
      fitPopup(at)
    })
  }

  /** Caps the popup's height to the larger side of the map around its point, then pans it into view. */
  function fitPopup(at: [number, number]): void {
    const box = popup.getElement()
    const inner = box?.querySelector<HTMLElement>('.maplibregl-popup-content')
    if (!box || !inner) return
    const y = map.project(at).y
    const room = Math.max(y, mapEl.clientHeight - y) - POPUP_MARGIN - 14 // 14: offset and tip
    inner.style.maxHeight = `${Math.max(140, Math.round(room))}px`
    popup.setLngLat(at) // re-runs MapLibre's anchor choice for the capped height
    keepInView(box)
  }

  /** Pans the map just enough to show the whole popup (small maps, stations near an edge). */
  function keepInView(el: HTMLElement | undefined): void {
    if (!el) return
    const margin = POPUP_MARGIN
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
    store.set({ activePlace: target, followOverview: target === 'all' })
    map.fitBounds(bbox, { padding: padding(), maxZoom: 12.5, duration: reducedMotion ? 0 : 900 })
    renderUi()
  }

  function toggleLang(): void {
    setLang(otherLang())
    tracker.mapBusy()
    setLabelLanguage(map, getLang(), config)
    attribution = setAttribution(map, config.basemap_attribution, attribution)
    const { planPopupId } = state()
    if (openStation && popup.isOpen()) popup.setHTML(stationPopupHtml(openStation))
    if (popup.isOpen() && planPopupId) openPlanPopup(planPopupId)
    plan?.rerender()
    edit.rerender()
    renderUi()
    map.triggerRepaint()
  }

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && popup.isOpen()) popup.remove()
    else if (e.key === 'Escape' && plan?.tool === 'add') plan.setTool('select')
  })
  bindHeader(headerEl, { onToggleLang: toggleLang, onTogglePanel: () => app.classList.toggle('panel-collapsed') })
  bindPanel(stationsEl, {
    onToggleKind: (kind, on) => {
      store.set((s) => ({ visible: toggleKind(s.visible, kind, on) }))
      refilter()
    },
    onFly: flyTo,
  })

  // --- coverage planning ---
  let layersPromise: ReturnType<typeof fetchDemandLayerList> | null = null
  async function showTab(tab: PanelTab): Promise<void> {
    store.set({ tab })
    edit.deactivate() // the edit mode belongs to the station map
    for (const b of panelEl.querySelectorAll<HTMLElement>('[data-tab]')) {
      b.classList.toggle('active', b.dataset.tab === tab)
      b.setAttribute('aria-selected', String(b.dataset.tab === tab))
    }
    stationsEl.hidden = tab !== 'stations'
    planEl.hidden = tab !== 'plan'
    app.classList.toggle('planning', tab === 'plan')
    if (popup.isOpen()) popup.remove()
    if (state().tab === 'plan') {
      if (!plan) {
        renderPanelStatus(planEl, t('loading'))
        layersPromise ??= fetchDemandLayerList()
        // the planning tab's code and deck.gl load with its first opening (split off the first view)
        const [{ layers, defaults }, { PlanTab }] = await Promise.all([layersPromise, import('./plan-tab.ts'), loadDeck()])
        plan ??= new PlanTab({
          root: planEl,
          regions,
          placeCodes: PROGRAMME_PLACE_CODES,
          layers,
          defaults,
          stations: () => state().all,
          loadRegion,
          hooks,
          onLayers: () => updateLayers(),
          fitBounds: (bbox) => {
            store.set({ followOverview: false })
            map.fitBounds(bbox, { padding: padding(), maxZoom: 13.5, duration: reducedMotion ? 0 : 700 })
          },
          project: (lon, lat) => {
            const p = map.project([lon, lat])
            const r = mapEl.getBoundingClientRect()
            if (p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height) return null
            return { x: r.left + p.x, y: r.top + p.y }
          },
          unproject: (x, y) => {
            const r = mapEl.getBoundingClientRect()
            const ll = map.unproject([x - r.left, y - r.top])
            return [ll.lng, ll.lat]
          },
        })
      }
      await plan.activate()
    }
    updateLayers()
  }

  /**
   * What the planning tab needs of a region (before its demand is counted): the full outlines of the
   * place (adding a station checks it lies inside) and the stations that can reach into it — those
   * inside its bounds grown by the widest default reach, page by page. Bounded by the region, never
   * the whole table; one region at a time.
   */
  const outlines = new Map<string, Promise<RegionFeatureList>>()
  /** a place's full outlines ('' : every region's, for edit mode's county check), fetched once */
  function loadOutlines(code: string): Promise<RegionFeatureList> {
    let o = outlines.get(code)
    if (!o) outlines.set(code, (o = fetchRegions(code || undefined).then((fc) => fc.features)))
    o.catch(() => outlines.delete(code))
    return o
  }
  let planStationsFor: string | null = null
  async function loadRegion(code: string): Promise<RegionFeatureList> {
    const o = loadOutlines(code)
    if (planStationsFor !== code) {
      const bbox = grownBBox(featuresBBox(summary.features.filter((f) => f.properties.code === code || f.properties.parent_code === code)), PLAN_REACH_M)
      const all = bbox ? await fetchStationLite({ bbox }) : []
      store.set({ all })
      planStationsFor = code
      hooks.planStationsLoaded = all.length
    }
    return o
  }
  panelEl.addEventListener('click', (e) => {
    const next = (e.target as HTMLElement).closest<HTMLElement>('[data-tab]')?.dataset.tab as PanelTab | undefined
    if (next && next !== state().tab) void showTab(next)
  })

  // What-if editing on the map. Dragging is done with MapLibre's own mouse events rather than
  // deck.gl's drag callbacks: deck's overlay (interleaved: false) only hears drags that MapLibre's
  // drag-pan starts, and preventDefault() on mousedown is how MapLibre lets us keep the map still.
  let drag: { id: string; x: number; y: number; moved: boolean } | null = null
  const pickPlan = (x: number, y: number): string | null =>
    (deck?.overlay.pickObject({ x, y, radius: 4, layerIds: [PLAN_BADGES_LAYER_ID, PLAN_STATIONS_LAYER_ID] })?.object as { id: string } | undefined)?.id ?? null
  map.on('mousedown', (e) => {
    if (state().tab !== 'plan' || !plan || plan.tool === 'add' || e.originalEvent.button !== 0) return
    const id = pickPlan(e.point.x, e.point.y)
    if (!id || !plan.isDraggable(id)) return
    e.preventDefault()
    drag = { id, x: e.point.x, y: e.point.y, moved: false }
  })
  map.on('mousemove', (e) => {
    if (!drag || !plan) return
    if (!drag.moved && Math.hypot(e.point.x - drag.x, e.point.y - drag.y) < 3) return
    if (!drag.moved) {
      drag.moved = true
      plan.beginDrag(drag.id)
      if (popup.isOpen()) popup.remove()
      map.getCanvas().style.cursor = 'grabbing'
    }
    plan.dragTo(drag.id, e.lngLat.lng, e.lngLat.lat)
  })
  const endDrag = () => {
    if (!drag) return
    if (drag.moved) plan?.endDrag()
    drag = null
    map.getCanvas().style.cursor = ''
  }
  map.on('mouseup', endDrag)
  window.addEventListener('mouseup', endDrag)
  map.on('click', (e) => {
    if (state().tab !== 'plan' || !plan) return
    if (plan.tool === 'add' && plan.canEdit) {
      plan.addAt(e.lngLat.lng, e.lngLat.lat)
      return
    }
    const id = pickPlan(e.point.x, e.point.y)
    if (id) openPlanPopup(id)
    else if (popup.isOpen()) popup.remove()
  })
  function openPlanPopup(id: string): void {
    const s = plan?.planStation(id)
    if (!s || !plan) return
    store.set({ planPopupId: id })
    plan.select(id)
    const station = s.change === 'existing' || s.change === 'moved' ? state().all.find((f) => f.properties.id === id) : undefined
    const canEdit = plan.canEdit
    showPopup([s.lon, s.lat], () => planPopupHtml(s, canEdit, station))
  }
  popup.on('close', () => {
    if (state().planPopupId === null) return
    store.set({ planPopupId: null })
    plan?.select(null)
  })
  mapEl.addEventListener('click', (e) => {
    const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-plan-station]')
    if (!btn || !plan) return
    plan.stationAction(btn.dataset.id!, btn.dataset.planStation as 'remove' | 'restore')
    popup.remove()
  })

  // --- stations from tiles: a click opens a station's popup, or zooms into a cluster ---
  const stationAt = (x: number, y: number): MapGeoJSONFeature | undefined => {
    if (!map.getLayer(STATION_POINT_LAYER)) return undefined
    // the topmost symbol within 2 px (MapLibre lists the top layer's features first)
    return map.queryRenderedFeatures([[x - 2, y - 2], [x + 2, y + 2]], { layers: [STATION_POINT_LAYER] })[0]
  }
  map.on('click', (e) => {
    if (state().tab === 'plan' || edit.active()) return // edit clicks: edit-mode.ts
    const station = stationAt(e.point.x, e.point.y)
    if (station) {
      const [lon, lat] = (station.geometry as GeoJSON.Point).coordinates as [number, number]
      void select(String(station.properties.id), [lon, lat])
      return
    }
    const cluster = map.getLayer(STATION_CLUSTER_LAYER) ? map.queryRenderedFeatures(e.point, { layers: [STATION_CLUSTER_LAYER] })[0] : undefined
    if (cluster) {
      const [lon, lat] = (cluster.geometry as GeoJSON.Point).coordinates as [number, number]
      map.easeTo({ center: [lon, lat], zoom: Math.min(map.getZoom() + 2, 16), duration: reducedMotion ? 0 : 500 })
      return
    }
    selecting?.abort()
    if (popup.isOpen()) popup.remove()
  })
  for (const layer of [STATION_POINT_LAYER, STATION_CLUSTER_LAYER]) {
    map.on('mouseenter', layer, () => state().tab !== 'plan' && (map.getCanvas().style.cursor = 'pointer'))
    map.on('mouseleave', layer, () => state().tab !== 'plan' && (map.getCanvas().style.cursor = ''))
  }
  // others' edits: new tiles (a new URL per stations version) and new counts
  let tilesShown: boolean | null = null
  function showStationTiles(on: boolean): void {
    if (on === tilesShown || !map.getLayer(STATION_POINT_LAYER)) return
    tilesShown = on
    for (const id of STATION_TILE_LAYERS) map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none')
  }
  onDataChange('regions', () => refreshRegionTiles(map))
  // others' edits and ours (the page's one poller): new tiles (a new URL per stations version) and new counts
  let stationsVersion: number | null = null
  onDataChange('stations', ({ stations: v }) => {
    stationsVersion = v
    refreshStationTiles(map, stationTilesUrl(v))
    void fetchRegionSummary().then((s) => {
      summary = s
      counts = regionCounts(s)
      renderUi()
    }).catch(() => {})
  })

  // --- test hooks ---
  hooks.stationScreenPoint = (id) => {
    if (!map.getSource(STATIONS_SOURCE)) return null
    const [f] = map.querySourceFeatures(STATIONS_SOURCE, { sourceLayer: STATIONS_SOURCE_LAYER, filter: ['==', ['get', 'id'], id] })
    if (!f) return null
    const p = map.project((f.geometry as GeoJSON.Point).coordinates as [number, number])
    const r = mapEl.getBoundingClientRect()
    if (p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height) return null
    return { x: r.left + p.x, y: r.top + p.y }
  }
  hooks.pickStationAt = (x, y) => {
    const r = mapEl.getBoundingClientRect()
    const f = stationAt(x - r.left, y - r.top)
    return f ? String(f.properties.id) : null
  }
  hooks.jumpTo = (lon, lat, zoom) => {
    store.set({ followOverview: false })
    map.jumpTo({ center: [lon, lat], zoom })
  }
  // What the display layer shows of a station at the stations version its tiles carry: its popup's
  // fetch (GET /api/stations/{id}) keyed by that version; null until fetched, and for a retired one
  // (the tiles leave those out). No station list is held.
  const propsAt = new Map<string, StationProps | null>()
  hooks.stationProps = (id) => {
    const key = `${id}@${stationsVersion ?? ''}`
    if (!propsAt.has(key)) {
      propsAt.set(key, null)
      fetchStation(id).then((s) => propsAt.set(key, s && s.properties.status !== 'retired' ? s.properties : null), () => propsAt.delete(key))
    }
    return propsAt.get(key) ?? null
  }
  hooks.renderedRoads = () => renderedRoads(map)
  hooks.renderedLabels = () => {
    const layers = LABEL_LAYER_IDS.filter((id) => map.getLayer(id))
    if (!layers.length) return []
    const key = getLang() === 'en' ? 'name_en' : 'name'
    return map.queryRenderedFeatures({ layers: [...layers] }).map((f) => String(f.properties[key] ?? ''))
  }

  if (state().tab === 'plan') void showTab('plan')
  renderUi()
}

/** how far outside its region a station may stand and still reach in: the widest default radius, +10 % */
const PLAN_REACH_M = Math.max(...STATION_KINDS.map((k) => KIND_INFO[k].radius_m)) * 1.1
type RegionFeatureList = RegionCollection['features']

/** `bbox` grown by `m` metres on every side (degrees of longitude widen with latitude). */
function grownBBox(bbox: BBox | null, m: number): BBox | null {
  if (!bbox) return null
  const dLat = m / 111_320
  const dLon = dLat / Math.cos((Math.max(Math.abs(bbox[1]), Math.abs(bbox[3])) * Math.PI) / 180)
  return [bbox[0] - dLon, bbox[1] - dLat, bbox[2] + dLon, bbox[3] + dLat]
}
