/**
 * The planning tab's state and actions: settings → demand (from the API, cached) → the plan's
 * stations (existing ± what-if edits + pending siting suggestions) → coverage recomputed in the
 * browser with the API's own core → figures, hexagon shading and the ranked gap list.
 * Siting and scenarios go to the server; dragging never does.
 */
import type { DemandItem } from '@core/demand-item.ts'
import { computeCoverage } from '@core/coverage.ts'
import type { GapArea } from '@core/find-gaps.ts'
import { gapCellThreshold } from '@core/gap-cell-threshold.ts'
import { KIND_INFO, type StationKind } from '@core/station-kinds.ts'
import {
  deleteScenario, fetchDemand, fetchScenario, listScenarios, postSiting, saveScenario, scenarioExportUrl,
  type DemandLayerInfo, type DemandResponse, type ScenarioSummary, type SitingResponse,
} from '../api.ts'
import { formatClock, formatMonthDay } from '../format.ts'
import { kindName } from '../i18n/names.ts'
import { t } from './strings.ts'
import { demandCellsLayer } from '../layers/demand-cells.ts'
import { weightBreaks } from '../layers/demand-shading.ts'
import { gapHighlightLayers } from '../layers/gap-highlight.ts'
import { planStationLayers, type PlanDrawStation } from '../layers/plan-stations.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import type { RegionCollection, StationFeature } from '../types.ts'
import { chinaTimeToday } from '@core/china-time-today.ts'
import { toDemandItems } from './demand-items.ts'
import { History } from './history.ts'
import { CoverageCounter, type CountedCoverage } from '@core/coverage-counter.ts'
import { liveCoverage, liveGaps } from './live-coverage.ts'
import { planBase, type PlanBase } from './plan-base.ts'
import { addStation, planStations, changeCount, countingSites, moveStation, noChanges, removeStation, restoreStation, pruneChanges, type PlanChanges, type PlanStation } from './plan-edits.ts'
import type { PlanHooks } from './plan-hooks.ts'
import {
  figuresHtml, gapsHtml, layerNoteHtml, layerUnit, planShellHtml, radiusHint, regionOptions, scenariosHtml, sitingHtml, toolsHtml,
  type PlanKind, type PlanSettings, type RegionOption, type SubTab, type Tool,
} from './plan-panel.ts'

/** A pending siting suggestion: drawn numbered until added to the plan or discarded. */
interface Suggestion {
  rank: number
  gain: number
  region_code: string | null
  moved: boolean
}

interface PlanState {
  changes: PlanChanges
  suggested: ReadonlyMap<string, Suggestion>
}

interface LoadedDemand {
  key: string
  items: DemandItem[]
  meta: DemandResponse['layer']
  breaks: number[]
  maxWeight: number
  /** a cell needs this much unserved demand to join a gap area (the API's default rule) */
  minCellDemand: number
  counter: CoverageCounter
}

export interface PlanControllerDeps {
  root: HTMLElement
  regions: RegionCollection
  placeCodes: readonly string[]
  layers: DemandLayerInfo[]
  stations: () => readonly StationFeature[]
  hooks: PlanHooks
  /** the layers changed: recompose the deck.gl stack */
  onLayers(): void
  fitBounds(bbox: BBox): void
  project(lon: number, lat: number): { x: number; y: number } | null
}

const GAP_LIMIT = 50
const byRank = (a: [string, Suggestion], b: [string, Suggestion]) => a[1].rank - b[1].rank

export class PlanController {
  settings: PlanSettings
  tool: Tool = 'select'
  subTab: SubTab = 'gaps'
  selectedId: string | null = null

  private readonly regionOpts: RegionOption[]
  private demand: LoadedDemand | null = null
  private demandCache = new Map<string, Promise<LoadedDemand>>()
  private loading = false
  private error: string | null = null
  private base: PlanBase = { stations: [], closed: 0, unknownHours: 0 }
  private isOpenAt: ((hours: string | null, at: Date) => boolean | null) | null = null
  private state: PlanState = { changes: noChanges(), suggested: new Map() }
  private history = new History<PlanState>()
  private plan: PlanDrawStation[] = []
  private coverage: CountedCoverage | null = null
  private baseline: number | null = null
  private maskVersion = 0
  private recomputeMs: number | null = null
  private gaps: { areas: GapArea[]; all: number } | null = null
  private gapsStale = true
  private gapTimer: ReturnType<typeof setTimeout> | null = null
  private selectedGap: GapArea | null = null
  private dragSnapshot: PlanState | null = null
  private frame = 0
  private siting = { mode: 'count' as 'count' | 'target', count: 5, targetPct: 95, running: false, result: null as SitingResponse | null, accepted: false, error: null as string | null }
  private scenarios = { list: null as ScenarioSummary[] | null, compare: [] as string[], saving: false, error: null as string | null }
  private status = ''
  private statusTimer: ReturnType<typeof setTimeout> | null = null
  private loadToken = 0

  constructor(private readonly d: PlanControllerDeps) {
    this.regionOpts = regionOptions(d.regions, d.placeCodes)
    const initial = new URLSearchParams(location.search)
    const region = this.regionOpts.find((r) => r.code === initial.get('region'))?.code ?? this.regionOpts.find((r) => r.code === '370828')?.code ?? this.regionOpts[0]?.code ?? ''
    const kind = (initial.get('kind') as PlanKind | null) ?? 'rider_rest'
    this.settings = { region, kind: kind === 'all' || kind in KIND_INFO ? kind : 'rider_rest', radius: null, layer: d.layers.find((l) => l.id === 'population')?.id ?? d.layers[0]?.id ?? 'population', at: null }
    d.hooks.suggestedIds = () => [...this.state.suggested].sort(byRank).map(([id]) => id)
    d.hooks.planStationScreenPoint = (id) => {
      const s = this.plan.find((p) => p.id === id)
      return s ? d.project(s.lon, s.lat) : null
    }
    this.bind()
  }

  // ------------------------------------------------------------ lifecycle

  /** Renders the tab and loads the demand for the current settings (first time the tab opens). */
  async activate(): Promise<void> {
    this.renderShell()
    this.flyToRegion()
    if (!this.demand) await this.reload()
    if (!this.scenarios.list) void this.refreshScenarios()
  }

  /** Language changed: every string is re-rendered. */
  rerender(): void {
    if (this.d.root.childElementCount) this.renderShell()
  }

  get regionCodes(): string[] {
    return this.regionOpts.filter((r) => r.code === this.settings.region || r.parent === this.settings.region).map((r) => r.code)
  }

  regionName = (code: string): string => {
    const r = this.regionOpts.find((o) => o.code === code) ?? this.d.regions.features.find((f) => f.properties.code === code)?.properties
    if (!r) return code
    return document.documentElement.lang === 'en' ? r.name_en || r.name : r.name
  }

  private get kind(): StationKind | null {
    return this.settings.kind === 'all' ? null : this.settings.kind
  }

  private get addRadius(): number {
    return this.settings.radius ?? (this.kind ? KIND_INFO[this.kind].radius_m : 1500)
  }

  private get layerInfo(): DemandLayerInfo | undefined {
    return this.d.layers.find((l) => l.id === this.settings.layer)
  }

  private get unit(): string {
    const l = this.demand?.meta ?? this.layerInfo
    return l ? layerUnit(l) : ''
  }

  // ------------------------------------------------------------ deck.gl layers

  layers() {
    const out = []
    if (this.demand && this.coverage) {
      out.push(demandCellsLayer({ items: this.demand.items, kind: this.demand.meta.kind, coveredMask: this.coverage.coveredMask, maskVersion: this.maskVersion, breaks: this.demand.breaks, maxWeight: this.demand.maxWeight }))
    }
    out.push(...gapHighlightLayers(this.selectedGap))
    out.push(...planStationLayers({ stations: this.plan, selectedId: this.selectedId }))
    return out
  }

  // ------------------------------------------------------------ loading and recompute

  private async reload(): Promise<void> {
    const token = ++this.loadToken
    const key = `${this.settings.layer}|${this.settings.region}`
    this.loading = true
    this.error = null
    this.d.hooks.planReady = false
    this.d.hooks.gapsReady = false
    this.renderFigures()
    try {
      let p = this.demandCache.get(key)
      if (!p) {
        p = fetchDemand({ layer: this.settings.layer, region: this.settings.region }).then((fc) => {
          const items = toDemandItems(fc.features)
          return {
            key,
            items,
            meta: fc.layer,
            breaks: weightBreaks(items.map((i) => i.weight)),
            maxWeight: items.reduce((m, i) => Math.max(m, i.weight), 0),
            minCellDemand: gapCellThreshold(items, fc.layer.kind === 'point'),
            counter: new CoverageCounter(items),
          }
        })
        this.demandCache.set(key, p)
        p.catch(() => this.demandCache.delete(key))
      }
      const demand = await p
      if (this.settings.at && !this.isOpenAt) this.isOpenAt = (await import('@core/is-open-at.ts')).isOpenAt
      if (token !== this.loadToken) return
      this.demand = demand
      this.loading = false
      this.selectedGap = null
      this.renderLayerNote()
      this.rebuildBase()
    } catch (err) {
      if (token !== this.loadToken) return
      this.loading = false
      this.error = `${t('loadFailed')}${err instanceof Error ? err.message : String(err)}`
      this.renderFigures()
    }
  }

  /** Kind, radius or time changed (or new demand): new starting network, then recompute. */
  private rebuildBase(): void {
    const at = this.settings.at ? chinaTimeToday(this.settings.at) : null
    if (at && !this.isOpenAt) {
      void import('@core/is-open-at.ts').then((m) => {
        this.isOpenAt = m.isOpenAt
        this.rebuildBase()
      })
      return
    }
    const isOpen = at && this.isOpenAt ? (h: string | null) => this.isOpenAt!(h, at) : undefined
    const codes = new Set(this.regionCodes)
    this.base = planBase(this.d.stations(), { kinds: this.kind ? [this.kind] : null, radius_m: this.settings.radius, isOpen, tally: (c) => c !== null && codes.has(c) })
    const ids = new Set(this.base.stations.map((s) => s.id))
    this.state = { ...this.state, changes: pruneChanges(this.state.changes, ids) }
    // added stations take the plan radius: recompute them from the current setting
    if (this.demand) this.baseline = computeCoverage(this.demand.items, this.base.stations, { nearest: false }).ratio
    this.recompute(true)
  }

  /** The plan's stations, coverage and figures; the gap list follows unless `gaps` is false (mid-drag). */
  private recompute(gaps: boolean): void {
    const applied = planStations(this.base.stations, this.state.changes, this.addRadius)
    const kindOf = new Map(this.base.stations.map((s) => [s.id, s.kind]))
    this.plan = applied.map((s): PlanDrawStation => {
      const sug = this.state.suggested.get(s.id)
      return { ...s, kind: kindOf.get(s.id) ?? this.kind ?? 'rider_rest', ...(sug ? { rank: sug.rank } : {}) }
    })
    const hooks = this.d.hooks
    if (this.demand) {
      const { value, ms } = liveCoverage(this.demand.counter, countingSites(applied))
      this.coverage = value
      this.recomputeMs = ms
      this.maskVersion++
      hooks.lastRecomputeMs = ms
      hooks.recomputeCount++
      hooks.recomputeTimes.push(ms)
      hooks.planRatio = value.ratio
      let unserved = 0
      for (let i = 0; i < value.coveredMask.length; i++) if (!value.coveredMask[i]) unserved++
      hooks.unservedDrawn = unserved
      hooks.demandDrawn = this.demand.items.length
      hooks.planReady = true
    }
    hooks.suggestedDrawn = this.plan.filter((p) => p.rank !== undefined).length
    this.gapsStale = true
    hooks.gapsReady = false
    this.d.onLayers()
    this.renderFigures()
    this.renderTools()
    this.renderSiting()
    if (gaps) this.scheduleGaps()
    else this.renderGaps()
  }

  private scheduleGaps(): void {
    if (this.gapTimer) clearTimeout(this.gapTimer)
    this.renderGaps()
    // after the figures have painted: the flood fill and outlines take ~100+ ms on a county
    this.gapTimer = setTimeout(() => {
      this.gapTimer = null
      if (!this.demand || this.dragSnapshot) return
      const { value, ms } = liveGaps(this.demand.items, countingSites(this.plan), this.demand.minCellDemand, GAP_LIMIT)
      this.gaps = value
      this.gapsStale = false
      this.d.hooks.lastGapsMs = ms
      this.d.hooks.gapsReady = true
      if (this.selectedGap) {
        // keep the highlight on the area that still holds the selected one's first cell
        const cell = this.selectedGap.cells[0]
        this.selectedGap = value.areas.find((a) => cell && a.cells.includes(cell)) ?? null
        this.d.onLayers()
      }
      this.renderGaps()
    }, 30)
  }

  // ------------------------------------------------------------ edits (map + panel)

  get canEdit(): boolean {
    return this.kind !== null && !!this.demand
  }

  private commit(next: PlanState): void {
    this.history.push(this.state)
    this.state = next
    this.recompute(true)
  }

  addAt(lon: number, lat: number): void {
    if (!this.canEdit) return
    const n = this.state.changes.added.filter((a) => a.id.startsWith('new-')).length + 1
    this.commit({ ...this.state, changes: addStation(this.state.changes, lon, lat, t('newStation', { n })) })
  }

  isDraggable(id: string): boolean {
    return this.canEdit && this.plan.some((p) => p.id === id && p.change !== 'removed')
  }

  beginDrag(id: string): void {
    if (!this.isDraggable(id)) return
    this.dragSnapshot = this.state
    if (this.gapTimer) clearTimeout(this.gapTimer)
  }

  /** One drag step: coverage and shading now (a few ms), at most once per animation frame. */
  dragTo(id: string, lon: number, lat: number): void {
    if (!this.dragSnapshot) return
    const sug = this.state.suggested.get(id)
    const suggested = sug && !sug.moved ? new Map(this.state.suggested).set(id, { ...sug, moved: true }) : this.state.suggested
    this.state = { changes: moveStation(this.state.changes, id, lon, lat), suggested }
    if (this.frame) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      this.recompute(false)
    })
  }

  endDrag(): void {
    const snapshot = this.dragSnapshot
    if (!snapshot) return
    this.dragSnapshot = null
    if (this.frame) cancelAnimationFrame(this.frame)
    this.frame = 0
    if (snapshot !== this.state) this.history.push(snapshot)
    this.recompute(true)
  }

  get dragging(): boolean {
    return this.dragSnapshot !== null
  }

  stationAction(id: string, action: 'remove' | 'restore'): void {
    if (!this.canEdit) return
    const suggested = new Map(this.state.suggested)
    suggested.delete(id)
    const changes = action === 'remove' ? removeStation(this.state.changes, id) : restoreStation(this.state.changes, id)
    if (id === this.selectedId) this.selectedId = null
    this.commit({ changes, suggested })
  }

  undo(): void {
    const prev = this.history.undo()
    if (!prev) return
    this.state = prev
    this.recompute(true)
  }

  planStation(id: string): PlanDrawStation | undefined {
    return this.plan.find((p) => p.id === id)
  }

  select(id: string | null): void {
    this.selectedId = id
    this.d.onLayers()
  }

  // ------------------------------------------------------------ siting

  private async runSiting(): Promise<void> {
    const kind = this.kind
    if (!kind || this.siting.running) return
    this.siting.running = true
    this.siting.error = null
    this.renderSiting()
    const pending = new Set(this.state.suggested.keys())
    const edits = { ...this.state.changes, added: this.state.changes.added.filter((a) => !pending.has(a.id)) }
    try {
      const res = await postSiting({
        kind,
        region: this.settings.region,
        layer: this.settings.layer,
        ...(this.settings.radius ? { radius_m: this.settings.radius } : {}),
        ...(this.siting.mode === 'count' ? { count: this.siting.count } : { target_ratio: Math.min(1, this.siting.targetPct / 100) }),
        ...(this.settings.at ? { at: this.settings.at } : {}),
        edits,
      })
      let changes: PlanChanges = edits
      const suggested = new Map<string, Suggestion>()
      for (const f of res.sites.features) {
        const [lon, lat] = f.geometry.coordinates
        changes = addStation(changes, lon, lat, t('suggestedSite', { n: f.properties.rank }), 'site')
        suggested.set(changes.added.at(-1)!.id, { rank: f.properties.rank, gain: f.properties.gain, region_code: f.properties.region_code, moved: false })
      }
      this.siting.result = res
      this.siting.accepted = false
      this.siting.running = false
      this.selectedGap = null
      this.commit({ changes, suggested })
      // the sites may lie anywhere in the region: show all of it
      this.flyToRegion()
    } catch (err) {
      this.siting.running = false
      this.siting.error = err instanceof Error ? err.message : String(err)
      this.renderSiting()
    }
  }

  private acceptSites(): void {
    if (!this.state.suggested.size) return
    this.siting.accepted = true
    this.commit({ changes: this.state.changes, suggested: new Map() })
  }

  private discardSites(): void {
    const pending = new Set(this.state.suggested.keys())
    if (!pending.size) return
    this.siting.result = null
    this.commit({ changes: { ...this.state.changes, added: this.state.changes.added.filter((a) => !pending.has(a.id)) }, suggested: new Map() })
  }

  // ------------------------------------------------------------ scenarios

  private async refreshScenarios(): Promise<void> {
    try {
      this.scenarios.list = await listScenarios()
      this.scenarios.compare = this.scenarios.compare.filter((id) => this.scenarios.list!.some((s) => s.id === id))
      this.scenarios.error = null
    } catch (err) {
      this.scenarios.error = err instanceof Error ? err.message : String(err)
    }
    this.renderScenarios()
  }

  private async save(name: string): Promise<void> {
    const kind = this.kind
    if (!kind || this.scenarios.saving) return
    this.scenarios.saving = true
    this.renderScenarios()
    try {
      const saved = await saveScenario({
        name: name.trim() || this.defaultScenarioName(),
        kind,
        region: this.settings.region,
        layer: this.settings.layer,
        ...(this.settings.radius ? { radius_m: this.settings.radius } : {}),
        ...(this.settings.at ? { at: this.settings.at } : {}),
        edits: this.state.changes,
      })
      this.flash(t('scenarioSaved', { name: saved.name }))
      this.scenarios.error = null
    } catch (err) {
      this.scenarios.error = err instanceof Error ? err.message : String(err)
    }
    this.scenarios.saving = false
    await this.refreshScenarios()
  }

  private async load(id: string): Promise<void> {
    try {
      const s = await fetchScenario(id)
      const kind = (s.kinds?.[0] ?? 'all') as PlanKind
      const at = s.at ? formatClock(new Date(s.at)) : null
      const regionChanged = s.region_code !== this.settings.region || s.layer_id !== this.settings.layer
      this.settings = { region: s.region_code, kind, radius: s.radius_m, layer: s.layer_id, at }
      this.history.push(this.state)
      this.state = { changes: { added: s.edits.added, moved: s.edits.moved, removed: s.edits.removed }, suggested: new Map() }
      this.siting.result = null
      this.renderShell()
      if (regionChanged || !this.demand) {
        this.flyToRegion()
        await this.reload()
      } else this.rebuildBase()
      this.flash(t('scenarioLoaded', { name: s.name }))
    } catch (err) {
      this.scenarios.error = err instanceof Error ? err.message : String(err)
      this.renderScenarios()
    }
  }

  private async remove(id: string): Promise<void> {
    try {
      await deleteScenario(id)
    } catch (err) {
      this.scenarios.error = err instanceof Error ? err.message : String(err)
    }
    await this.refreshScenarios()
  }

  private defaultScenarioName(): string {
    const date = formatMonthDay(new Date())
    const n = this.state.changes.added.length
    return `${this.regionName(this.settings.region)} · ${this.kind ? kindName(this.kind) : t('allKinds')} · +${n} · ${date}`
  }

  // ------------------------------------------------------------ gaps

  private pickGap(rank: number): void {
    const gap = this.gaps?.areas.find((g) => g.rank === rank)
    if (!gap) return
    this.selectedGap = gap
    const bbox = featuresBBox([{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: gap.polygon } }])
    if (bbox) this.d.fitBounds(bbox)
    this.d.onLayers()
    this.renderGaps()
  }

  private flyToRegion(): void {
    const codes = new Set(this.regionCodes)
    const bbox = featuresBBox(this.d.regions.features.filter((f) => codes.has(f.properties.code) && (f.properties.level === 'county' || codes.size === 1)))
    if (bbox) this.d.fitBounds(bbox)
  }

  // ------------------------------------------------------------ settings

  private change(patch: Partial<PlanSettings>): void {
    const prev = this.settings
    this.settings = { ...prev, ...patch }
    if (patch.kind !== undefined && patch.kind !== prev.kind) {
      // a different kind is a different network: its edits don't carry over
      this.history.clear()
      this.state = { changes: noChanges(), suggested: new Map() }
      this.siting.result = null
      this.settings.radius = null
    }
    this.syncRadiusInputs()
    if (patch.region !== undefined && patch.region !== prev.region) {
      this.history.clear()
      this.state = { changes: noChanges(), suggested: new Map() }
      this.siting.result = null
      this.flyToRegion()
    }
    if (this.settings.region !== prev.region || this.settings.layer !== prev.layer) {
      this.renderLayerNote()
      void this.reload()
    } else if (this.demand) this.rebuildBase()
  }

  // ------------------------------------------------------------ rendering

  private slot(name: string): HTMLElement | null {
    return this.d.root.querySelector<HTMLElement>(`[data-slot="${name}"]`)
  }

  private renderShell(): void {
    this.d.root.innerHTML = planShellHtml({ settings: this.settings, regions: this.regionOpts, layers: this.d.layers, subTab: this.subTab })
    this.syncRadiusInputs()
    this.renderLayerNote()
    this.renderFigures()
    this.renderTools()
    this.renderGaps()
    this.renderSiting()
    this.renderScenarios()
    this.renderStatus()
  }

  private syncRadiusInputs(): void {
    const { hint, value, disabledReset } = radiusHint(this.settings.kind, this.settings.radius)
    const hintEl = this.slot('radius-hint')
    if (hintEl) hintEl.textContent = hint
    for (const sel of ['[data-plan="radius"]', '[data-plan="radius-range"]']) {
      const input = this.d.root.querySelector<HTMLInputElement>(sel)
      // all kinds without an override: no one number applies, so the box stays empty
      const blank = sel === '[data-plan="radius"]' && this.settings.kind === 'all' && this.settings.radius === null
      if (input && document.activeElement !== input) input.value = blank ? '' : String(value)
    }
    const reset = this.d.root.querySelector<HTMLButtonElement>('[data-plan-action="reset-radius"]')
    if (reset) reset.disabled = disabledReset
  }

  private renderLayerNote(): void {
    const el = this.slot('layer-note')
    if (el) el.innerHTML = layerNoteHtml(this.layerInfo, this.demand?.key.startsWith(`${this.settings.layer}|`) ? this.demand.meta.resolution : null)
  }

  private renderFigures(): void {
    const el = this.slot('figures')
    if (!el) return
    const cov = this.coverage
    const codes = new Set(this.regionCodes)
    const c = this.state.changes
    const changed = changeCount(c) > 0
    const existing = this.base.stations.filter((s) => {
      const f = this.d.stations().find((x) => x.properties.id === s.id)
      return f?.properties.region_code ? codes.has(f.properties.region_code) : false
    }).length
    el.innerHTML = figuresHtml({
      loading: this.loading,
      empty: !this.loading && !!this.demand && this.demand.items.length === 0,
      error: this.error,
      ratio: cov?.ratio ?? 0,
      covered: cov?.covered ?? 0,
      total: cov?.total ?? 0,
      unit: this.unit,
      baseline: changed ? this.baseline : null,
      composition: { existing, added: c.added.length - this.state.suggested.size, moved: c.moved.length, removed: c.removed.length, suggested: this.state.suggested.size },
      byRegion: (cov?.by_region ?? []).filter((r) => codes.has(r.code)),
      regionName: this.regionName,
      recomputeMs: this.recomputeMs,
      cells: this.demand?.items.length ?? 0,
      resolution: this.demand?.meta.resolution ?? null,
      pointLayer: this.demand?.meta.kind === 'point',
      at: this.settings.at ? { at: this.settings.at, closed: this.base.closed, unknown: this.base.unknownHours } : null,
      breaks: this.demand?.breaks ?? [],
    })
  }

  private renderTools(): void {
    const el = this.slot('tools')
    if (el) el.innerHTML = toolsHtml({ tool: this.tool, canEdit: this.canEdit, canUndo: this.history.size > 0, hasChanges: changeCount(this.state.changes) > 0 })
    this.d.root.closest('.app')?.classList.toggle('adding', this.tool === 'add' && this.canEdit)
  }

  private renderGaps(): void {
    const el = this.slot('gaps')
    const count = this.slot('count-gaps')
    if (count) count.textContent = this.gaps && !this.gapsStale ? String(this.gaps.all) : ''
    if (!el) return
    if (!this.demand || this.loading) {
      el.innerHTML = ''
      return
    }
    const cov = this.coverage
    el.innerHTML = gapsHtml({
      areas: this.gaps?.areas ?? null,
      allAreas: this.gaps?.all ?? 0,
      minCellDemand: this.demand.minCellDemand,
      unserved: cov ? cov.total - cov.covered : 0,
      unit: this.unit,
      selectedRank: this.selectedGap?.rank ?? null,
      regionName: this.regionName,
      updating: this.gapsStale,
    })
  }

  private renderSiting(): void {
    const el = this.slot('siting')
    if (!el) return
    // don't re-render under the planner's fingers (typing a count)
    if (el.contains(document.activeElement) && document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'number') return
    el.innerHTML = sitingHtml({
      canSite: this.kind !== null,
      ...this.siting,
      pending: [...this.state.suggested].sort(byRank).map(([id, s]) => ({ id, ...s })),
      unit: this.unit,
      regionName: this.regionName,
    })
  }

  private renderScenarios(): void {
    const el = this.slot('scenarios')
    const count = this.slot('count-scenarios')
    if (count) count.textContent = this.scenarios.list?.length ? String(this.scenarios.list.length) : ''
    if (!el) return
    // The name field survives re-renders as the same element: a list refresh that lands while the
    // planner types must not drop what was typed (or the focus).
    const input = el.querySelector<HTMLInputElement>('[name="name"]')
    const typing = !!input && document.activeElement === input
    el.innerHTML = scenariosHtml({
      canSave: this.kind !== null,
      list: this.scenarios.list,
      compare: this.scenarios.compare,
      saving: this.scenarios.saving,
      defaultName: input?.value ?? this.defaultScenarioName(),
      exportUrl: scenarioExportUrl,
      regionName: this.regionName,
      error: this.scenarios.error,
    })
    if (input) {
      el.querySelector('[name="name"]')?.replaceWith(input)
      if (typing) input.focus()
    }
  }

  private flash(text: string): void {
    this.status = text
    this.renderStatus()
    if (this.statusTimer) clearTimeout(this.statusTimer)
    this.statusTimer = setTimeout(() => {
      this.status = ''
      this.renderStatus()
    }, 4000)
  }

  private renderStatus(): void {
    const el = this.slot('status')
    if (!el) return
    el.textContent = this.status
    el.classList.toggle('show', !!this.status)
  }

  setTool(tool: Tool): void {
    this.tool = tool
    this.renderTools()
  }

  // ------------------------------------------------------------ DOM events (delegated, bound once)

  private bind(): void {
    const root = this.d.root
    root.addEventListener('change', (e) => {
      const el = e.target as HTMLInputElement
      switch (el.dataset.plan) {
        case 'region': return this.change({ region: el.value })
        case 'kind': return this.change({ kind: el.value as PlanKind })
        case 'layer': return this.change({ layer: el.value })
        case 'at': return this.change({ at: el.value || null })
        case 'radius': {
          const v = Number(el.value)
          if (v > 0 && v <= 50_000) this.change({ radius: this.radiusOrNull(v) })
          return
        }
      }
      if (el.name === 'siting-mode') {
        this.siting.mode = el.value as 'count' | 'target'
        this.renderSiting()
      }
      if (el.name === 'count') this.siting.count = Math.max(1, Math.min(200, Math.round(Number(el.value) || 5)))
      if (el.name === 'target') this.siting.targetPct = Math.max(1, Math.min(100, Number(el.value) || 95))
      if (el.dataset.compare) {
        const id = el.dataset.compare
        const list = this.scenarios.compare.filter((x) => x !== id)
        this.scenarios.compare = el.checked ? [...list, id].slice(-2) : list
        this.renderScenarios()
      }
    })
    root.addEventListener('input', (e) => {
      const el = e.target as HTMLInputElement
      if (el.dataset.plan === 'radius-range') {
        // live while sliding: the coverage recompute is cheap enough for every step
        const v = Number(el.value)
        const num = root.querySelector<HTMLInputElement>('[data-plan="radius"]')
        if (num) num.value = String(v)
        this.change({ radius: this.radiusOrNull(v) })
      }
    })
    root.addEventListener('submit', (e) => {
      e.preventDefault()
      const form = e.target as HTMLFormElement
      if (form.matches('.siting-form')) {
        const count = form.querySelector<HTMLInputElement>('[name="count"]')
        const target = form.querySelector<HTMLInputElement>('[name="target"]')
        if (count) this.siting.count = Math.max(1, Math.min(200, Math.round(Number(count.value) || 5)))
        if (target) this.siting.targetPct = Math.max(1, Math.min(100, Number(target.value) || 95))
        ;(document.activeElement as HTMLElement | null)?.blur()
        void this.runSiting()
      }
      if (form.matches('.save-form')) void this.save(form.querySelector<HTMLInputElement>('[name="name"]')?.value ?? '')
    })
    root.addEventListener('click', (e) => {
      const target = e.target as HTMLElement
      const hit = (attr: string) => target.closest<HTMLElement>(`[${attr}]`)?.getAttribute(attr) ?? null
      const sub = hit('data-subtab') as SubTab | null
      if (sub) {
        this.subTab = sub
        for (const b of root.querySelectorAll<HTMLElement>('[data-subtab]')) {
          b.classList.toggle('active', b.dataset.subtab === sub)
          b.setAttribute('aria-selected', String(b.dataset.subtab === sub))
        }
        for (const name of ['gaps', 'siting', 'scenarios']) this.slot(name)?.toggleAttribute('hidden', name !== sub)
        if (sub === 'scenarios') void this.refreshScenarios()
        return
      }
      const tool = hit('data-tool') as Tool | null
      if (tool) return this.setTool(tool)
      const gap = hit('data-gap')
      if (gap) return this.pickGap(Number(gap))
      const rm = hit('data-remove')
      if (rm) return this.stationAction(rm, 'remove')
      const load = hit('data-load')
      if (load) return void this.load(load)
      const del = hit('data-delete')
      if (del) return void this.remove(del)
      switch (hit('data-plan-action')) {
        case 'reset-radius': return this.change({ radius: null })
        case 'clear-at': {
          const input = root.querySelector<HTMLInputElement>('[data-plan="at"]')
          if (input) input.value = ''
          return this.change({ at: null })
        }
        case 'undo': return this.undo()
        case 'reset-plan': return this.commit({ changes: noChanges(), suggested: new Map() })
        case 'accept-sites': return this.acceptSites()
        case 'discard-sites': return this.discardSites()
      }
    })
  }

  /** A radius equal to the kind's default is no override: stations keep their own radii. */
  private radiusOrNull(v: number): number | null {
    return this.kind && v === KIND_INFO[this.kind].radius_m ? null : v
  }

  /** For the popup: the plan station's change, for its label and buttons. */
  describe(id: string): (PlanStation & { kind: StationKind; rank?: number }) | undefined {
    return this.planStation(id)
  }
}
