/**
 * Planner page (`/`): offline basemap, stations and their coverage, legend with kind filter,
 * fly-to places, counts per place, station popups; and the coverage-planning tab (plan-controller.ts):
 * unserved demand, ranked gaps, siting, what-if edits on the map, scenarios.
 */
import '../styles/index.ts'
import './planner.css'
import { MapboxOverlay } from '@deck.gl/mapbox'
import type { PickingInfo } from '@deck.gl/core'
import { Popup, type AttributionControl } from 'maplibre-gl'
import { fetchAllStations, fetchConfig, fetchDemandLayerList, fetchRegions } from '../api.ts'
import { byId } from '../dom.ts'
import { getLang, otherLang, setLang } from '../i18n/lang.ts'
import { t } from './strings.ts'
import { createStore } from '../page/store.ts'
import { drawnStations, initialMapTabState, toggleKind, type MapTabState } from './map-tab-state.ts'
import { loadOpenNow } from './open-now.ts'
import { stationLayers } from '../layers/station-layers.ts'
import { STATION_POINTS_LAYER_ID } from '../layers/station-points.ts'
import { setAttribution } from '../map/attribution.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import { createAtlasMap, renderedRoads, setLabelLanguage } from '../map/create-map.ts'
import { fontFacesFromPage, stylesheetsLoaded } from '../map/fonts.ts'
import { LABEL_LAYER_IDS } from '../map/region-layers.ts'
import { placeLookup, programmePlaces, unionBBox } from '../places.ts'
import { IdleTracker } from '../page/idle.ts'
import { startPage } from '../page/page.ts'
import { mapHooks, type AtlasHooks } from './map-hooks.ts'
import type { AtlasConfig, StationFeature } from '../types.ts'
import { bindHeader, renderHeader } from './header.ts'
import { useRegions } from '../page/account.ts'
import { bindPanel, emptyCounts, renderPanel, renderPanelStatus, type KindCounts } from './panel.ts'
import { stationPopupHtml } from './popup.ts'
import { PLAN_BADGES_LAYER_ID, PLAN_STATIONS_LAYER_ID } from '../layers/plan-stations.ts'
import { liftedLabelLayer, liftRegionLabels, placedLabels, type LiftedLabel } from '../layers/region-label-lift.ts'
import { PlanTab } from './plan-tab.ts'
import { planHooks, type PlanHooks } from './plan-hooks.ts'
import { planPopupHtml } from './plan-popup.ts'
import { PROGRAMME_PLACE_CODES } from '../places.ts'
import { panelTabsHtml, type PanelTab } from './panel-tabs.ts'
import { editHooks, mountEditToggle, type EditHooks } from './edit/edit-toggle.ts'
import { onDataChange } from '../page/changes.ts'

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

  const stationsPromise = fetchAllStations()
  const [config, regions] = await Promise.all([fetchConfig().catch(() => NO_CONFIG), fetchRegions()])
  await stylesheetsLoaded()

  useRegions(regions)
  const places = programmePlaces(regions)
  const overview: BBox | null =
    unionBBox(places.map((p) => p.bbox)) ?? featuresBBox(regions.features.filter((f) => f.properties.focus))
  const padding = () => {
    const p = Math.round(Math.max(16, Math.min(56, mapEl.clientWidth * 0.05)))
    return { top: p, right: p, bottom: p + 24, left: p } // + room for the scale bar
  }

  const map = createAtlasMap({ container: mapEl, regions, config, lang: getLang(), fontFaces: fontFacesFromPage(), bounds: overview, padding: padding() })
  let attribution: AttributionControl = setAttribution(map, config.basemap_attribution)

  // --- panel tabs: stations & places | coverage planning ---
  const store = createStore<MapTabState>(initialMapTabState(new URLSearchParams(location.search)))
  const state = () => store.get()
  panelEl.innerHTML = panelTabsHtml(state().tab)
  const stationsEl = byId('tab-stations')
  const planEl = byId('tab-plan')
  let plan: PlanTab | null = null

  // --- derived from the store ---
  let drawn: StationFeature[] = []
  const byKind: KindCounts = emptyCounts()
  const byPlace = new Map<string, KindCounts>()

  const tracker = new IdleTracker(hooks, () => map.triggerRepaint())
  const popup = new Popup({ closeButton: true, closeOnClick: false, maxWidth: 'none', offset: 12, className: 'station-popup', focusAfterOpen: false, padding: { top: POPUP_MARGIN, right: POPUP_MARGIN, bottom: POPUP_MARGIN, left: POPUP_MARGIN } })
  popup.on('close', () => {
    if (state().selectedId === null) return
    store.set({ selectedId: null })
    updateLayers()
  })

  // interleaved: false — deck.gl 9.4's interleaved mode reads maplibre's private `map.transform`
  // and throws on maplibre-gl 6 (DESIGN §8). Overlaid, deck draws on its own canvas, synced on
  // every map render; we lose only drawing deck layers between basemap layers, which we don't need.
  const overlay = new MapboxOverlay({
    interleaved: false,
    layers: [],
    onClick: (info: PickingInfo) => {
      if (state().tab === 'plan' || edit.active()) return // plan and edit clicks: see the map handlers
      select(info.layer?.id === STATION_POINTS_LAYER_ID ? (info.object as StationFeature) : null)
    },
    onHover: (info: PickingInfo) => {
      if (drag || edit.active()) return
      const planning = state().tab === 'plan'
      const draggable = planning && (info.layer?.id === PLAN_STATIONS_LAYER_ID || info.layer?.id === PLAN_BADGES_LAYER_ID) && plan?.isDraggable((info.object as { id: string }).id)
      map.getCanvas().style.cursor = draggable ? 'grab' : info.object ? 'pointer' : planning && plan?.tool === 'add' ? 'crosshair' : ''
    },
    onAfterRender: () => {
      hooks.stationsDrawn = drawn.length
      tracker.deckDrawn()
    },
  })
  map.addControl(overlay)

  // --- edit mode (issue 11): its own layer above the display layer, its own sheet in the panel ---
  const edit = mountEditToggle(mapEl.parentElement!, {
    map,
    overlay,
    panel: panelEl,
    regions,
    hooks,
    isStationsTab: () => state().tab === 'stations',
    onLayers: () => {
      if (edit.active() && popup.isOpen()) popup.remove()
      updateLayers()
    },
    onWritten: () => void reloadStations(),
  })

  // county names above the deck.gl markers (region-label-lift.ts): read what MapLibre placed, once idle
  let lifted: LiftedLabel[] = []
  let liftedVersion = 0
  map.on('load', () => liftRegionLabels(map))
  map.on('idle', () => {
    const next = placedLabels(map, getLang() === 'en' ? 'name_en' : 'name')
    const sig = (l: LiftedLabel[]) => l.map((x) => `${x.key}|${x.text}|${x.size.toFixed(1)}`).join(';')
    if (sig(next) !== sig(lifted)) {
      lifted = next
      liftedVersion++
      updateLayers()
    }
    tracker.mapIdle()
  })
  // numbered siting badges are kept apart in screen space: place them again for the new zoom
  map.on('moveend', () => {
    if (state().tab === 'plan' && plan?.hasSuggestions) updateLayers()
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
    const { tab, selectedId } = state()
    const layers = tab === 'plan' && plan ? plan.layers() : [...(edit.hidesDisplay() ? [] : stationLayers({ stations: drawn, selectedId })), ...(edit.layers() as [])]
    overlay.setProps({ layers: [...layers, liftedLabelLayer(lifted, liftedVersion)] })
    tracker.layersChanged()
    map.triggerRepaint()
  }

  function renderUi(): void {
    mapEl.setAttribute('aria-label', t('mapLabel'))
    const { all, visible, activePlace } = state()
    const hasDemo = all.some((s) => s.properties.source === 'demo')
    renderHeader(headerEl, { showDemo: hasDemo })
    for (const b of panelEl.querySelectorAll<HTMLElement>('[data-tab]')) b.textContent = t(b.dataset.tab === 'plan' ? 'tabPlan' : 'tabStations')
    renderPanel(stationsEl, { visible, byKind, places, byPlace, activePlace, shown: drawn.length, total: all.length, hasDemo })
  }

  function refilter(): void {
    drawn = drawnStations(state())
    const selectedId = state().selectedId
    if (selectedId && !drawn.some((s) => s.properties.id === selectedId)) popup.remove()
    updateLayers()
    renderUi()
  }

  function select(station: StationFeature | null): void {
    if (!station) {
      if (popup.isOpen()) popup.remove()
      return
    }
    store.set({ selectedId: station.properties.id })
    showPopup(station.geometry.coordinates as [number, number], () => stationPopupHtml(station))
    updateLayers()
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
    const { all, selectedId, planPopupId } = state()
    const open = all.find((s) => s.properties.id === selectedId)
    if (open && popup.isOpen()) popup.setHTML(stationPopupHtml(open))
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
        const { layers, defaults } = await layersPromise
        plan ??= new PlanTab({
          root: planEl,
          regions,
          placeCodes: PROGRAMME_PLACE_CODES,
          layers,
          defaults,
          stations: () => state().all,
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
      await stationsLoaded
      await plan.activate()
    }
    updateLayers()
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
    (overlay.pickObject({ x, y, radius: 4, layerIds: [PLAN_BADGES_LAYER_ID, PLAN_STATIONS_LAYER_ID] })?.object as { id: string } | undefined)?.id ?? null
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

  // --- test hooks ---
  hooks.stationScreenPoint = (id) => {
    const s = state().all.find((f) => f.properties.id === id)
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
  hooks.stationProps = (id) => state().all.find((f) => f.properties.id === id)?.properties ?? null
  hooks.renderedRoads = () => renderedRoads(map)
  hooks.jumpTo = (lon, lat, zoom) => map.jumpTo({ center: [lon, lat], zoom })
  hooks.renderedLabels = () => {
    const layers = LABEL_LAYER_IDS.filter((id) => map.getLayer(id))
    if (!layers.length) return []
    const key = getLang() === 'en' ? 'name_en' : 'name'
    return map.queryRenderedFeatures({ layers: [...layers] }).map((f) => String(f.properties[key] ?? ''))
  }

  // --- stations ---
  let stationsReady: () => void = () => {}
  const stationsLoaded = new Promise<void>((resolve) => (stationsReady = resolve))
  if (state().tab === 'plan') void showTab('plan')
  const placeOf = placeLookup(regions)
  function showStations(all: StationFeature[]): void {
    store.set({ all })
    for (const k of Object.keys(byKind) as (keyof KindCounts)[]) byKind[k] = 0
    byPlace.clear()
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
  }
  // others' edits (and ours): the display layer reads the stations again when their counter moves
  let reloading: Promise<void> | null = null
  function reloadStations(): Promise<void> {
    reloading ??= fetchAllStations()
      .then(showStations)
      .catch((err: unknown) => console.warn('stations not refreshed:', err))
      .finally(() => (reloading = null))
    return reloading
  }
  showStations(await stationsPromise)
  stationsReady()
  onDataChange('stations', () => void reloadStations())
  tracker.setReady(true)
}
