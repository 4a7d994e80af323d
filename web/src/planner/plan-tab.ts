/**
 * The planning tab: the plan's state (plan-state.ts, one reducer) → with the demand (demand-store.ts)
 * and the existing stations → the plan's stations (existing ± what-if edits + pending siting
 * suggestions) → coverage recomputed in the browser with the API's own core → figures, hexagon
 * shading and the ranked gap list. The sub-tabs are views of their own (views/); siting and
 * scenarios go to the server; dragging never does.
 *
 * About 500 lines: it is the one place that turns a state change into the derived figures,
 * the map layers and the panel slots; the state itself, the demand, the roads (plan-roads.ts), the
 * sub-tabs and the DOM events each live in a module of their own.
 */
import { computeCoverage } from '@core/coverage.ts'
import { computeNetworkCoverage } from '@core/network-coverage.ts'
import type { CountedCoverage } from '@core/coverage-counter.ts'
import { chinaTimeToday } from '@core/china-time-today.ts'
import { KIND_INFO } from '@core/station-kinds.ts'
import { fetchDemand, type DemandLayerInfo, type SitingResponse } from '../api.ts'
import { getLang } from '../i18n/lang.ts'
import { demandCellsLayer } from '../layers/demand-cells.ts'
import { STREET_ZOOM } from '../layers/demand-shading.ts'
import { gapHighlightLayers } from '../layers/gap-highlight.ts'
import { planStationLayers, type PlanDrawStation } from '../layers/plan-stations.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import { pointInRegion } from '../map/point-in-region.ts'
import { badgeSlots, type ScreenMarker } from '../layers/badge-slots.ts'

/** numbered badges (22 px across) closer than this are moved apart */
const BADGE_GAP_PX = 26
import { createStore } from '../page/store.ts'
import type { AnyRegionCollection, RegionCollection, StationLite } from '../types.ts'
import { DemandStore, type LoadedDemand } from './demand-store.ts'
import { liveCoverage, liveNetworkCoverage, type NetworkRule } from './live-coverage.ts'
import { countInRegions, planBase, type PlanBase } from './plan-base.ts'
import { changeCount, countingSites, planStations, type PlanChanges } from './plan-edits.ts'
import { recordRecompute, type PlanHooks } from './plan-hooks.ts'
import { PlanRoads } from './plan-roads.ts'
import { mountProvinceRun } from './province-run.ts'
import { figuresHtml, layerNoteHtml, layerUnit, planShellHtml, regionOptions, showSubTab, StatusLine, syncRadiusInputs, toolsHtml, type RegionOption, type SubTab, type Tool } from './plan-panel.ts'
import { initialPlanState, pendingSites, regionPatch, settingsFromUrl, planKind, planReducer, type PlanAction, type PlanSettings, type PlanState } from './plan-state.ts'
import { t } from './strings.ts'
import { GapsView } from './views/gaps-view.ts'
import { ScenariosView } from './views/scenarios-view.ts'
import { SitingView } from './views/siting-view.ts'
import { bindPlanEvents } from './plan-events.ts'

export interface PlanTabDeps {
  root: HTMLElement
  /** names, codes and bounds of every region (outlines: loadRegion) */
  regions: AnyRegionCollection
  placeCodes: readonly string[]
  layers: DemandLayerInfo[]
  /** county → its default layer (GET /api/demand/layers) */
  defaults: Record<string, string>
  /** the stations that can reach the region last loaded (loadRegion) */
  stations: () => readonly StationLite[]
  /** loads a region's stations (stations()) and resolves to its full outlines and its counties' */
  loadRegion(code: string): Promise<RegionCollection['features']>
  hooks: PlanHooks
  /** the layers changed: recompose the deck.gl stack */
  onLayers(): void
  fitBounds(bbox: BBox): void
  project(lon: number, lat: number): { x: number; y: number } | null
  /** viewport CSS px → lon/lat */
  unproject(x: number, y: number): [number, number]
}

type IsOpenAt = (hours: string | null, at: Date) => boolean | null

export class PlanTab {
  tool: Tool = 'select'
  selectedId: string | null = null

  private readonly store
  private readonly regionOpts: RegionOption[]
  private readonly demandStore = new DemandStore(fetchDemand)
  private readonly siting: SitingView
  private readonly scenarios: ScenariosView
  private readonly gaps: GapsView
  private subTab: SubTab = 'gaps'
  private demand: LoadedDemand | null = null
  private loading = false
  private error: string | null = null
  private isOpenAt: IsOpenAt | null = null
  // derived from the state, the demand and the stations by rebuildBase() and recompute()
  private base: PlanBase = { stations: [], closed: 0, unknownHours: 0 }
  private plan: PlanDrawStation[] = []
  private coverage: CountedCoverage | null = null
  private baseline: number | null = null
  private maskVersion = 0
  private recomputeMs: number | null = null
  private frame = 0
  private outlines: RegionCollection['features'] = []
  /** demand without road access under the network rule */
  private noRoad = 0
  /** the region's roads, the 直线 / 路网 controls and the isochrones */
  private readonly roads: PlanRoads
  private readonly status = new StatusLine(() => this.slot('status'))

  constructor(private readonly d: PlanTabDeps) {
    this.regionOpts = regionOptions(d.regions, d.placeCodes)
    const settings = settingsFromUrl(new URLSearchParams(location.search), this.regionOpts.map((r) => r.code), d.layers.map((l) => l.id), d.defaults)
    this.store = createStore<PlanState>(initialPlanState(settings))
    this.roads = new PlanRoads({
      settings: () => this.state.settings,
      hooks: d.hooks,
      root: d.root,
      slot: (name) => this.slot(name),
      graphArrived: () => this.demand && this.rebuildBase(),
      flash: (text) => this.status.flash(text),
    })
    const ctx = { state: () => this.state, unit: () => this.unit, regionName: this.regionName, flash: (text: string) => this.status.flash(text) }
    this.siting = new SitingView(() => this.slot('siting'), { ...ctx, suggested: (res) => this.suggested(res), network: () => this.network })
    this.gaps = new GapsView({
      el: () => this.slot('gaps'),
      count: () => this.slot('count-gaps'),
      demand: () => this.demand,
      loading: () => this.loading,
      sites: () => countingSites(this.plan),
      network: () => this.network,
      unserved: () => (this.coverage ? this.coverage.total - this.coverage.covered : 0),
      unit: () => this.unit,
      dragging: () => this.state.dragFrom !== null,
      regionName: this.regionName,
      hooks: d.hooks,
      onLayers: () => d.onLayers(),
      fitBounds: (bbox) => d.fitBounds(bbox),
    })
    this.scenarios = new ScenariosView(() => this.slot('scenarios'), () => this.slot('count-scenarios'), { ...ctx, load: (s, c) => this.loadPlan(s, c), network: () => this.network })
    d.hooks.suggestedIds = () => pendingSites(this.state).map((p) => p.id)
    d.hooks.planStationScreenPoint = (id) => {
      const s = this.planStation(id)
      return s ? d.project(s.lon, s.lat) : null
    }
    bindPlanEvents(d.root, {
      dispatch: (action) => this.dispatch(action),
      regionPatch: (region) => regionPatch(this.state, region, d.layers.map((l) => l.id), d.defaults),
      subTab: (sub) => {
        this.subTab = sub
        showSubTab(d.root, sub)
        if (sub === 'scenarios') void this.scenarios.refresh()
      },
      tool: (tool) => this.setTool(tool),
      remove: (id) => this.stationAction(id, 'remove'),
      gaps: this.gaps,
      siting: this.siting,
      scenarios: this.scenarios,
    })
  }

  private get state(): PlanState {
    return this.store.get()
  }

  // ------------------------------------------------------------ lifecycle

  /** Renders the tab and loads the demand for the current settings (first time the tab opens). */
  async activate(): Promise<void> {
    this.renderShell()
    this.flyToRegion()
    if (!this.roads.isFor(this.state.settings.region)) void this.roads.load()
    if (!this.demand) await this.reload()
    if (!this.scenarios.loaded) void this.scenarios.refresh()
  }

  /** Language changed: every string is re-rendered. */
  rerender(): void {
    if (this.d.root.childElementCount) this.renderShell()
  }

  private get regionCodes(): string[] {
    const region = this.state.settings.region
    return this.regionOpts.filter((r) => r.code === region || r.parent === region).map((r) => r.code)
  }

  regionName = (code: string): string => {
    const r = this.regionOpts.find((o) => o.code === code) ?? this.d.regions.features.find((f) => f.properties.code === code)?.properties
    if (!r) return code
    return getLang() === 'en' ? r.name_en || r.name : r.name
  }

  private get kind() {
    return planKind(this.state.settings)
  }

  /** The road-network rule the figures use now, or null: straight-line (chosen, or no roads here). */
  private get network(): NetworkRule | null {
    return this.roads.rule()
  }

  private get layerInfo(): DemandLayerInfo | undefined {
    return this.d.layers.find((l) => l.id === this.state.settings.layer)
  }

  private get unit(): string {
    const l = this.demand?.meta ?? this.layerInfo
    return l ? layerUnit(l) : ''
  }

  // ------------------------------------------------------------ deck.gl layers

  /** Whether the demand is drawn see-through at this zoom: the region's streets are on the basemap under it. */
  seeThrough(zoom: number): boolean {
    return zoom >= STREET_ZOOM && this.d.hooks.roadsLoaded === true
  }

  /** The deck.gl layers at the map's `zoom` (from STREET_ZOOM, over loaded roads, the demand lets the streets through). */
  layers(zoom = 0) {
    const out = []
    if (this.demand && this.coverage) {
      out.push(demandCellsLayer({ items: this.demand.items, kind: this.demand.meta.kind, coveredMask: this.coverage.coveredMask, maskVersion: this.maskVersion, breaks: this.demand.breaks, maxWeight: this.demand.maxWeight, seeThrough: this.seeThrough(zoom) }))
    }
    out.push(...gapHighlightLayers(this.gaps.selected))
    const network = this.network
    out.push(...this.roads.layers())
    out.push(...planStationLayers({ stations: this.plan, selectedId: this.selectedId, badges: this.badges(), circles: !network, seeThrough: this.seeThrough(zoom) }))
    return out
  }

  /** Numbered badges of suggested sites that would overlap on screen, moved apart (layers/badge-slots.ts). */
  private badges(): Map<string, [number, number]> {
    const markers: ScreenMarker[] = []
    for (const p of pendingSites(this.state)) {
      const s = this.planStation(p.id)
      const at = s && this.d.project(s.lon, s.lat)
      if (at) markers.push({ id: p.id, ...at })
    }
    const out = new Map<string, [number, number]>()
    for (const [id, b] of badgeSlots(markers, BADGE_GAP_PX)) out.set(id, this.d.unproject(b.x, b.y))
    this.d.hooks.badgesMoved = out.size
    return out
  }

  // ------------------------------------------------------------ state changes

  /** Runs an action through the reducer and brings the derived figures, map and panel along. */
  private dispatch(action: PlanAction): void {
    const prev = this.state
    const next = planReducer(prev, action)
    if (next === prev) return
    this.store.set(next)
    if (next.settings !== prev.settings) return this.settingsChanged(prev.settings, next.settings)
    switch (action.type) {
      case 'prune':
        return
      case 'drag-start':
        this.gaps.cancel()
        return
      case 'drag':
        // one drag step: coverage and shading now (a few ms), at most once per animation frame
        if (!this.frame) this.frame = requestAnimationFrame(() => ((this.frame = 0), this.recompute(false)))
        return
      case 'drag-end':
        if (this.frame) cancelAnimationFrame(this.frame)
        this.frame = 0
    }
    this.recompute(true)
  }

  private settingsChanged(prev: PlanSettings, next: PlanSettings): void {
    this.syncRadiusInputs()
    if (next.region !== prev.region) {
      this.flyToRegion()
      void this.scenarios.refresh()
      void this.roads.load()
    } else if (next.metric !== prev.metric && next.metric === 'network') void this.roads.loadGraph()
    if (next.metric !== prev.metric || next.mode !== prev.mode || next.minutes !== prev.minutes || next.region !== prev.region) this.roads.render()
    if (next.region !== prev.region || next.layer !== prev.layer) {
      this.renderLayerNote()
      void this.reload()
    } else if (this.demand) this.rebuildBase()
  }

  private async reload(): Promise<void> {
    const { layer, region } = this.state.settings
    this.loading = true
    this.error = null
    this.d.hooks.planReady = false
    this.d.hooks.gapsReady = false
    this.renderFigures()
    try {
      const [demand, outlines] = await Promise.all([this.demandStore.load(layer, region), this.d.loadRegion(region)])
      if (!demand || region !== this.state.settings.region) return // a later load took over
      this.outlines = outlines
      this.demand = demand
      this.loading = false
      this.gaps.selected = null
      this.renderLayerNote()
      this.rebuildBase()
    } catch (err) {
      this.loading = false
      this.error = `${t('loadFailed')}${err instanceof Error ? err.message : String(err)}`
      this.renderFigures()
    }
  }

  /** Kind, radius or time changed (or new demand): new starting network, then recompute. */
  private rebuildBase(): void {
    const s = this.state.settings
    const at = s.at ? chinaTimeToday(s.at) : null
    if (at && !this.isOpenAt) {
      void import('@core/is-open-at.ts').then((m) => {
        this.isOpenAt = m.isOpenAt
        this.rebuildBase()
      })
      return
    }
    const isOpen = at && this.isOpenAt ? (h: string | null) => this.isOpenAt!(h, at) : undefined
    const codes = new Set(this.regionCodes)
    this.base = planBase(this.d.stations(), { kinds: this.kind ? [this.kind] : null, radius_m: s.radius, isOpen, tally: (c) => c !== null && codes.has(c) })
    this.dispatch({ type: 'prune', baseIds: new Set(this.base.stations.map((b) => b.id)) })
    const network = this.network
    if (this.demand) {
      this.baseline = network
        ? computeNetworkCoverage(this.demand.items, this.base.stations, network.graph, { mode: network.mode, minutes: network.minutes, nearest: false }).ratio
        : computeCoverage(this.demand.items, this.base.stations, { nearest: false }).ratio
    }
    this.recompute(true)
  }

  /** The plan's stations, coverage and figures; the gap list follows unless `gaps` is false (mid-drag). */
  private recompute(gaps: boolean): void {
    const state = this.state
    // added stations take the plan radius
    const applied = planStations(this.base.stations, state.changes, state.settings.radius ?? (this.kind ? KIND_INFO[this.kind].radius_m : 1500))
    const kindOf = new Map(this.base.stations.map((s) => [s.id, s.kind]))
    this.plan = applied.map((s): PlanDrawStation => {
      const sug = state.suggested.get(s.id)
      return { ...s, kind: kindOf.get(s.id) ?? this.kind ?? 'rider_rest', ...(sug ? { rank: sug.rank } : {}) }
    })
    const hooks = this.d.hooks
    const network = this.network
    if (this.demand) {
      const counting = countingSites(applied)
      let timed
      if (network) timed = liveNetworkCoverage(this.demand.items, counting, network)
      else {
        const r = liveCoverage(this.demand.counter, counting)
        timed = { value: { ...r.value, noRoad: 0 }, ms: r.ms }
      }
      const { value, ms } = timed
      this.coverage = value
      this.noRoad = value.noRoad
      this.recomputeMs = ms
      this.maskVersion++
      recordRecompute(hooks, value, ms)
    }
    hooks.metric = network ? 'network' : 'straight'
    this.roads.updateIsochrones(this.plan, network)
    hooks.suggestedDrawn = this.plan.filter((p) => p.rank !== undefined).length
    this.gaps.markStale()
    this.d.onLayers()
    this.renderFigures()
    this.renderTools()
    this.siting.render()
    this.scenarios.syncName()
    if (gaps) this.gaps.schedule()
    else this.gaps.render()
  }

  /** The siting answer arrived: its sites become pending suggestions, and the whole region is shown. */
  private suggested(result: SitingResponse): void {
    this.gaps.selected = null
    this.dispatch({ type: 'suggest', result, name: (n) => t('suggestedSite', { n }) })
    // the sites may lie anywhere in the region: show all of it
    this.flyToRegion()
  }

  /** A saved plan replaces the current one (its region's demand loaded if need be). */
  private async loadPlan(settings: PlanSettings, changes: PlanChanges): Promise<void> {
    const prev = this.state.settings
    this.store.set(planReducer(this.state, { type: 'load', settings, changes }))
    this.renderShell()
    if (settings.region !== prev.region) void this.scenarios.refresh()
    if (settings.region !== prev.region || settings.layer !== prev.layer || !this.demand) {
      this.flyToRegion()
      await this.reload()
    } else this.rebuildBase()
  }

  // ------------------------------------------------------------ edits (map + panel)

  get canEdit(): boolean {
    return this.kind !== null && !!this.demand
  }

  /**
   * A click with the add tool: a station inside the region joins the plan; outside it would cover
   * nothing that is counted, so it is refused in words. Returns whether it was added.
   */
  addAt(lon: number, lat: number): boolean {
    if (!this.canEdit) return false
    if (!this.insideRegion(lon, lat)) {
      this.status.flash(t('addOutside', { region: this.regionName(this.state.settings.region) }))
      this.d.hooks.addRefused++
      return false
    }
    this.dispatch({ type: 'add', lon, lat, name: (n) => t('newStation', { n }) })
    return true
  }

  private insideRegion(lon: number, lat: number): boolean {
    const codes = new Set(this.regionCodes)
    return this.outlines.some((f) => codes.has(f.properties.code) && pointInRegion(lon, lat, f.geometry))
  }

  isDraggable(id: string): boolean {
    return this.canEdit && this.plan.some((p) => p.id === id && p.change !== 'removed')
  }

  beginDrag(id: string): void {
    if (this.isDraggable(id)) this.dispatch({ type: 'drag-start' })
  }

  dragTo(id: string, lon: number, lat: number): void {
    this.dispatch({ type: 'drag', id, lon, lat })
  }

  endDrag(): void {
    this.dispatch({ type: 'drag-end' })
  }

  stationAction(id: string, action: 'remove' | 'restore'): void {
    if (!this.canEdit) return
    if (id === this.selectedId) this.selectedId = null
    this.dispatch({ type: action, id })
  }

  /** A plan station (or suggested site) with its change, for the popup and the test hooks. */
  planStation(id: string): PlanDrawStation | undefined {
    return this.plan.find((p) => p.id === id)
  }

  get hasSuggestions(): boolean {
    return this.state.suggested.size > 0
  }

  select(id: string | null): void {
    this.selectedId = id
    this.d.onLayers()
  }

  setTool(tool: Tool): void {
    this.tool = tool
    this.renderTools()
  }

  private flyToRegion(): void {
    const codes = new Set(this.regionCodes)
    const bbox = featuresBBox(this.d.regions.features.filter((f) => codes.has(f.properties.code) && (f.properties.level === 'county' || codes.size === 1)))
    if (bbox) this.d.fitBounds(bbox)
  }

  // ------------------------------------------------------------ rendering (one slot each)

  private slot(name: string): HTMLElement | null {
    return this.d.root.querySelector<HTMLElement>(`[data-slot="${name}"]`)
  }

  private renderShell(): void {
    this.d.root.innerHTML = planShellHtml({ settings: this.state.settings, regions: this.regionOpts, layers: this.d.layers, subTab: this.subTab })
    const province = this.slot('province-run')
    if (province) mountProvinceRun(province, this.regionOpts, () => this.state.settings)
    this.syncRadiusInputs()
    this.roads.render()
    this.renderLayerNote()
    this.renderFigures()
    this.renderTools()
    this.gaps.render()
    this.siting.render()
    this.scenarios.render()
    this.status.render()
  }

  private syncRadiusInputs(): void {
    syncRadiusInputs(this.d.root, this.state.settings)
  }

  private renderLayerNote(): void {
    const el = this.slot('layer-note')
    const s = this.state.settings
    if (el) el.innerHTML = layerNoteHtml(this.layerInfo, this.demand?.layer === s.layer ? this.demand.meta.resolution : null)
  }

  private renderFigures(): void {
    const el = this.slot('figures')
    if (!el) return
    const { changes: c, suggested, settings } = this.state
    const cov = this.coverage
    const codes = new Set(this.regionCodes)
    const existing = countInRegions(this.base.stations, this.d.stations(), codes)
    el.innerHTML = figuresHtml({
      loading: this.loading,
      empty: !this.loading && !!this.demand && this.demand.items.length === 0,
      error: this.error,
      ratio: cov?.ratio ?? 0,
      covered: cov?.covered ?? 0,
      total: cov?.total ?? 0,
      unit: this.unit,
      baseline: changeCount(c) > 0 ? this.baseline : null,
      composition: { existing, added: c.added.length - suggested.size, moved: c.moved.length, removed: c.removed.length, suggested: suggested.size },
      byRegion: (cov?.by_region ?? []).filter((r) => codes.has(r.code)),
      regionName: this.regionName,
      recomputeMs: this.recomputeMs,
      cells: this.demand?.items.length ?? 0,
      resolution: this.demand?.meta.resolution ?? null,
      pointLayer: this.demand?.meta.kind === 'point',
      at: settings.at ? { at: settings.at, closed: this.base.closed, unknown: this.base.unknownHours } : null,
      breaks: this.demand?.breaks ?? [],
      network: this.network ? { mode: settings.mode, minutes: settings.minutes, noRoad: this.noRoad } : null,
      // a loaded layer's own source and licence under the figure; the bundled modelled and demo layers carry
      // theirs in the layer picker with their 模型估算/示例数据 badge (and the figure keeps the gap list in view)
      source: this.layerInfo && !this.layerInfo.modelled && !this.layerInfo.demo ? { text: this.layerInfo.source, licence: this.layerInfo.licence } : null,
    })
  }

  private renderTools(): void {
    const el = this.slot('tools')
    if (el) el.innerHTML = toolsHtml({ tool: this.tool, canEdit: this.canEdit, canUndo: this.state.past.length > 0, hasChanges: changeCount(this.state.changes) > 0 })
    this.d.root.closest('.app')?.classList.toggle('adding', this.tool === 'add' && this.canEdit)
  }


}
