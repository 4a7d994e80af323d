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
import { STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import { fetchAllStations, fetchConfig, fetchDemandLayers, fetchRegions } from '../api.ts'
import { byId } from '../dom.ts'
import { getLang, otherLang, setLang } from '../i18n/lang.ts'
import { t } from './strings.ts'
import { inCircleOrder } from '../layers/station-style.ts'
import { stationLayers } from '../layers/station-layers.ts'
import { STATION_POINTS_LAYER_ID } from '../layers/station-points.ts'
import { setAttribution } from '../map/attribution.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import { createAtlasMap, setLabelLanguage } from '../map/create-map.ts'
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
import { PLAN_STATIONS_LAYER_ID } from '../layers/plan-stations.ts'
import { PlanTab } from './plan-tab.ts'
import { planHooks, type PlanHooks } from './plan-hooks.ts'
import { planPopupHtml } from './plan-popup.ts'
import { PROGRAMME_PLACE_CODES } from '../places.ts'
import { panelTabsHtml, type PanelTab } from './panel-tabs.ts'

const NO_CONFIG: AtlasConfig = { basemap_style_url: null, basemap_attribution: null }
const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches

startPage<AtlasHooks & PlanHooks>({
  hooks: (lang) => ({ ...mapHooks(lang), ...planHooks() }),
  start: ({ hooks }) => runPlanner(hooks),
  fail(message) {
    const panel = document.getElementById('panel')
    if (panel) renderPanelStatus(panel, t('loadFailed') + message, true)
  },
})

async function runPlanner(hooks: AtlasHooks & PlanHooks): Promise<void> {
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
  let tab: PanelTab = new URLSearchParams(location.search).get('tab') === 'plan' ? 'plan' : 'stations'
  panelEl.innerHTML = panelTabsHtml(tab)
  const stationsEl = byId('tab-stations')
  const planEl = byId('tab-plan')
  let plan: PlanTab | null = null

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
    onClick: (info: PickingInfo) => {
      if (tab === 'plan') return // plan clicks: see the map handlers below
      select(info.layer?.id === STATION_POINTS_LAYER_ID ? (info.object as StationFeature) : null)
    },
    onHover: (info: PickingInfo) => {
      if (drag) return
      const draggable = tab === 'plan' && info.layer?.id === PLAN_STATIONS_LAYER_ID && plan?.isDraggable((info.object as { id: string }).id)
      map.getCanvas().style.cursor = draggable ? 'grab' : info.object ? 'pointer' : tab === 'plan' && plan?.tool === 'add' ? 'crosshair' : ''
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
    overlay.setProps({ layers: tab === 'plan' && plan ? plan.layers() : stationLayers({ stations: drawn, selectedId }) })
    tracker.layersChanged()
    map.triggerRepaint()
  }

  function renderUi(): void {
    mapEl.setAttribute('aria-label', t('mapLabel'))
    const hasDemo = all.some((s) => s.properties.source === 'demo')
    renderHeader(headerEl, { showDemo: hasDemo })
    for (const b of panelEl.querySelectorAll<HTMLElement>('[data-tab]')) b.textContent = t(b.dataset.tab === 'plan' ? 'tabPlan' : 'tabStations')
    renderPanel(stationsEl, { visible, byKind, places, byPlace, activePlace, shown: drawn.length, total: all.length, hasDemo })
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
    setLang(otherLang())
    tracker.mapBusy()
    setLabelLanguage(map, getLang())
    attribution = setAttribution(map, config.basemap_attribution, attribution)
    const open = all.find((s) => s.properties.id === selectedId)
    if (open && popup.isOpen()) popup.setHTML(stationPopupHtml(open))
    if (popup.isOpen() && planPopupId) openPlanPopup(planPopupId)
    plan?.rerender()
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
      if (on) visible.add(kind)
      else visible.delete(kind)
      refilter()
    },
    onFly: flyTo,
  })

  // --- coverage planning ---
  let layersPromise: ReturnType<typeof fetchDemandLayers> | null = null
  async function showTab(next: PanelTab): Promise<void> {
    tab = next
    for (const b of panelEl.querySelectorAll<HTMLElement>('[data-tab]')) {
      b.classList.toggle('active', b.dataset.tab === tab)
      b.setAttribute('aria-selected', String(b.dataset.tab === tab))
    }
    stationsEl.hidden = tab !== 'stations'
    planEl.hidden = tab !== 'plan'
    app.classList.toggle('planning', tab === 'plan')
    if (popup.isOpen()) popup.remove()
    if (tab === 'plan') {
      if (!plan) {
        renderPanelStatus(planEl, t('loading'))
        layersPromise ??= fetchDemandLayers()
        const layers = await layersPromise
        plan ??= new PlanTab({
          root: planEl,
          regions,
          placeCodes: PROGRAMME_PLACE_CODES,
          layers,
          stations: () => all,
          hooks,
          onLayers: () => updateLayers(),
          fitBounds: (bbox) => {
            followOverview = false
            map.fitBounds(bbox, { padding: padding(), maxZoom: 13.5, duration: reducedMotion ? 0 : 700 })
          },
          project: (lon, lat) => {
            const p = map.project([lon, lat])
            const r = mapEl.getBoundingClientRect()
            if (p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height) return null
            return { x: r.left + p.x, y: r.top + p.y }
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
    if (next && next !== tab) void showTab(next)
  })

  // What-if editing on the map. Dragging is done with MapLibre's own mouse events rather than
  // deck.gl's drag callbacks: deck's overlay (interleaved: false) only hears drags that MapLibre's
  // drag-pan starts, and preventDefault() on mousedown is how MapLibre lets us keep the map still.
  let drag: { id: string; x: number; y: number; moved: boolean } | null = null
  let planPopupId: string | null = null
  const pickPlan = (x: number, y: number): string | null =>
    (overlay.pickObject({ x, y, radius: 4, layerIds: [PLAN_STATIONS_LAYER_ID] })?.object as { id: string } | undefined)?.id ?? null
  map.on('mousedown', (e) => {
    if (tab !== 'plan' || !plan || plan.tool === 'add' || e.originalEvent.button !== 0) return
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
    if (tab !== 'plan' || !plan) return
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
    planPopupId = id
    plan.select(id)
    popup.setLngLat([s.lon, s.lat]).setHTML(planPopupHtml(s, plan.canEdit))
    if (!popup.isOpen()) popup.addTo(map)
    keepInView(popup.getElement())
  }
  popup.on('close', () => {
    if (planPopupId === null) return
    planPopupId = null
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
  let stationsReady: () => void = () => {}
  const stationsLoaded = new Promise<void>((resolve) => (stationsReady = resolve))
  if (tab === 'plan') void showTab('plan')
  all = await stationsPromise
  stationsReady()
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
  tracker.setReady(true)
}
