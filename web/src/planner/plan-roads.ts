/**
 * The planning tab's roads: whether the region has any (GET /api/roads), its graph once the 路网
 * rule is chosen (GET /api/roads/graph, routed in the page), the 直线 / 路网 controls and the
 * stations' isochrones, each redrawn only when its station moved or the rule changed.
 */
import { networkIsochrone } from '@core/network-isochrone.ts'
import { fetchRoads, type RoadsSummary } from '../api.ts'
import { isochroneLayers, type IsochroneShape } from '../layers/isochrones.ts'
import type { PlanDrawStation } from '../layers/plan-stations.ts'
import { regionRoadGraph, type PageRoadGraph } from '../road-graph.ts'
import type { NetworkRule } from './live-coverage.ts'
import { ruleRowHtml, ruleSwitchHtml } from './plan-panel.ts'
import type { PlanHooks } from './plan-hooks.ts'
import type { PlanSettings } from './plan-state.ts'
import { t } from './strings.ts'

export interface PlanRoadsContext {
  settings(): PlanSettings
  hooks: PlanHooks
  root: HTMLElement
  slot(name: string): HTMLElement | null
  /** the graph arrived: the figures can be computed by road now */
  graphArrived(): void
  flash(text: string): void
}

export class PlanRoads {
  /** summary null while asking; graph once the network rule was chosen */
  private roads: { region: string; summary: RoadsSummary | null; graph: PageRoadGraph | null; loadingGraph: boolean } | null = null
  /** isochrones by station id, with the position and rule they were drawn for */
  private isochrones = new Map<string, { key: string; shape: IsochroneShape | null }>()
  private version = 0

  constructor(private readonly ctx: PlanRoadsContext) {}

  isFor(region: string): boolean {
    return this.roads?.region === region
  }

  /** The road-network rule in force, or null: straight-line (chosen, or no roads here, or the graph still coming). */
  rule(): NetworkRule | null {
    const s = this.ctx.settings()
    const r = this.roads
    if (s.metric !== 'network' || !r || r.region !== s.region || !r.graph) return null
    return { graph: r.graph.graph, mode: s.mode, minutes: s.minutes }
  }

  /** Asks whether roads are loaded for the region; with the network rule chosen, loads the graph too. */
  async load(): Promise<void> {
    const region = this.ctx.settings().region
    this.roads = { region, summary: null, graph: null, loadingGraph: false }
    this.ctx.hooks.roadsLoaded = null
    this.render()
    let summary: RoadsSummary | null = null
    try {
      summary = await fetchRoads(region)
    } catch {
      summary = null // the rule stays straight-line; the note says so
    }
    if (this.roads?.region !== region) return
    this.roads.summary = summary ?? { region, loaded: false, extract: null, nodes: 0, edges: 0, graph_bytes: 0, attribution: null }
    this.ctx.hooks.roadsLoaded = this.roads.summary.loaded
    this.render()
    if (this.ctx.settings().metric === 'network') await this.loadGraph()
  }

  async loadGraph(): Promise<void> {
    const r = this.roads
    if (!r?.summary?.loaded || r.graph || r.loadingGraph) return
    r.loadingGraph = true
    this.render()
    try {
      const graph = await regionRoadGraph(r.region)
      if (this.roads !== r) return
      r.graph = graph
      this.ctx.hooks.roadGraphBytes = graph?.bytes ?? null
    } catch (err) {
      this.ctx.flash(`${t('loadFailed')}${err instanceof Error ? err.message : String(err)}`)
    } finally {
      r.loadingGraph = false
    }
    this.render()
    this.ctx.graphArrived()
  }

  /** Isochrones of the plan's live stations (existing, moved, added, suggested) under `rule`. */
  updateIsochrones(plan: readonly PlanDrawStation[], rule: NetworkRule | null): void {
    const hooks = this.ctx.hooks
    if (!rule) {
      this.isochrones.clear()
      hooks.isochronesDrawn = 0
      return
    }
    const live = new Set<string>()
    for (const p of plan) {
      if (p.change === 'removed') continue
      live.add(p.id)
      const key = `${p.lon},${p.lat},${rule.mode},${rule.minutes}`
      if (this.isochrones.get(p.id)?.key === key) continue
      const iso = networkIsochrone(rule.graph, p, { mode: rule.mode, minutes: rule.minutes })
      this.isochrones.set(p.id, { key, shape: iso ? { id: p.id, kind: p.kind, polygon: iso.geometry.coordinates, existing: p.change === 'existing' } : null })
      this.version++
    }
    for (const id of this.isochrones.keys()) if (!live.has(id)) this.isochrones.delete(id)
    hooks.isochronesDrawn = [...this.isochrones.values()].filter((i) => i.shape).length
  }

  layers() {
    if (!this.rule()) return []
    return isochroneLayers([...this.isochrones.values()].flatMap((i) => (i.shape ? [i.shape] : [])), this.version)
  }

  /** The rule switch (label line) and, by road, minutes and mode in place of the radius row. */
  render(): void {
    const r = this.roads
    const settings = this.ctx.settings()
    const model = {
      settings,
      roads: r?.summary ? { loaded: r.summary.loaded, edges: r.summary.edges, extract: r.summary.extract?.file_name ?? null } : null,
      loadingGraph: !!r?.loadingGraph,
    }
    const byRoad = settings.metric === 'network' && !!model.roads?.loaded
    const sw = this.ctx.slot('rule')
    if (sw) sw.innerHTML = ruleSwitchHtml(model)
    const row = this.ctx.slot('rule-row')
    if (row) {
      row.innerHTML = byRoad ? ruleRowHtml(model) : ''
      row.hidden = !byRoad
    }
    this.ctx.root.querySelector<HTMLElement>('.radius-row')?.toggleAttribute('hidden', byRoad)
    this.ctx.root.querySelector<HTMLElement>('[data-slot="radius-hint"]')?.toggleAttribute('hidden', byRoad)
    const label = this.ctx.slot('reach-label')
    if (label) label.textContent = byRoad ? t('planReach') : t('planRadius')
  }
}
