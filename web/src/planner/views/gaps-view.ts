/**
 * The 缺口 (gaps) sub-tab: under-served areas of the plan, ranked, each one a button that shows it
 * on the map. The flood fill and outlines (~100 ms on a county) run just after the figures paint,
 * and not while a station is being dragged.
 */
import type { Site } from '@core/demand-item.ts'
import type { GapArea } from '@core/find-gaps.ts'
import type { RoadGapArea } from '@core/network-gaps.ts'
import { esc } from '../../dom.ts'
import { featuresBBox, type BBox } from '../../map/bounds.ts'
import type { LoadedDemand } from '../demand-store.ts'
import { liveGaps, type NetworkRule } from '../live-coverage.ts'
import type { PlanHooks } from '../plan-hooks.ts'
import { formatCount, formatDemand, formatDistance } from '../../format.ts'
import { t } from '../strings.ts'
import { detailsOpen } from '../plan-panel.ts'

type Area = GapArea | RoadGapArea

/** "路程 2.4 公里 · 8 分钟" for an area under the network rule; '' under straight-line. */
function roadHtml(g: Area, unit: string): string {
  if (!('road_m' in g)) return ''
  const trip = g.road_m === null || g.road_minutes === null ? t('gapRoadUnreachable') : `${t('gapByRoad')} ${formatDistance(g.road_m)} · ${t('minutesShort', { n: Math.round(g.road_minutes) })}`
  const noRoad = g.no_road_access > 0 ? ` · ${t('gapNoRoad', { demand: formatDemand(g.no_road_access) })} ${unit}` : ''
  return `<span class="gap-road" data-road-m="${g.road_m ?? ''}" data-testid="gap-road">${esc(trip + noRoad)}</span>`
}

interface GapsModel {
  areas: Area[] | null
  allAreas: number
  /** cells with less unserved demand don't join an area (0: all do) */
  minCellDemand: number
  unserved: number
  unit: string
  selectedRank: number | null
  regionName: (code: string) => string
  updating: boolean
}

function gapsHtml(m: GapsModel): string {
  if (!m.areas) return `<div class="panel-status">${esc(t('gapsUpdating'))}</div>`
  if (!m.areas.length) return `<div class="panel-status">${esc(t('noGaps'))}</div>`
  const items = m.areas
    .map((g) => `<li><button type="button" class="gap-row${g.rank === m.selectedRank ? ' active' : ''}" data-gap="${g.rank}" data-testid="gap-${g.rank}">
        <span class="rank">${g.rank}</span>
        <span class="gap-main"><span class="gap-demand" data-demand="${g.demand}">${esc(formatDemand(g.demand))} <small>${esc(m.unit)}</small></span>
          <span class="gap-meta">${esc(g.region_code ? m.regionName(g.region_code) : '—')} · ${esc(formatArea(g.area_km2))} · ${esc(t('gapNearest'))} ${esc(g.nearest_station_m === null ? '—' : formatDistance(g.nearest_station_m))}</span>${roadHtml(g, m.unit)}</span>
      </button></li>`)
    .join('')
  const rule = m.minCellDemand > 0
    ? `<details class="tech-details gap-rule" data-details="gap-rule"${detailsOpen.has('gap-rule') ? ' open' : ''}><summary>${esc(t('gapRuleTitle'))}</summary>${esc(t('gapRule', { min: formatWeight(m.minCellDemand), unit: m.unit }))}</details>`
    : ''
  return `<div class="gap-summary${m.updating ? ' stale' : ''}">${esc(t('unservedSummary', { demand: formatDemand(m.unserved), unit: m.unit, areas: formatCount(m.allAreas) }))}${rule}</div>
    <ol class="gap-list">${items}</ol>`
}

/** Small per-cell weights keep one decimal (65.5 persons per cell). */
function formatWeight(w: number): string {
  return w >= 100 ? formatDemand(w) : String(+w.toFixed(1))
}

function formatArea(km2: number): string {
  return `${km2 < 10 ? km2.toFixed(2) : km2.toFixed(1)} ${t('km2')}`
}

const GAP_LIMIT = 50

export interface GapsViewContext {
  el(): HTMLElement | null
  count(): HTMLElement | null
  demand(): LoadedDemand | null
  /** true while the demand for new settings is on its way */
  loading(): boolean
  /** the plan's counting sites, unserved demand and unit now */
  sites(): Site[]
  /** the road-network rule, or null (straight-line) */
  network(): NetworkRule | null
  unserved(): number
  unit(): string
  dragging(): boolean
  regionName(code: string): string
  hooks: PlanHooks
  onLayers(): void
  fitBounds(bbox: BBox): void
}

export class GapsView {
  private gaps: { areas: Area[]; all: number } | null = null
  private stale = true
  private timer: ReturnType<typeof setTimeout> | null = null
  /** the area highlighted on the map */
  selected: Area | null = null

  constructor(private readonly ctx: GapsViewContext) {}

  /** The plan changed: the list is out of date until `schedule` recomputes it. */
  markStale(): void {
    this.stale = true
    this.ctx.hooks.gapsReady = false
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
  }

  /** Recomputes the list after the figures have painted. */
  schedule(): void {
    this.cancel()
    this.render()
    this.timer = setTimeout(() => {
      this.timer = null
      const demand = this.ctx.demand()
      if (!demand || this.ctx.dragging()) return
      const { value, ms } = liveGaps(demand.items, this.ctx.sites(), demand.minCellDemand, GAP_LIMIT, this.ctx.network())
      this.gaps = value
      this.stale = false
      this.ctx.hooks.lastGapsMs = ms
      this.ctx.hooks.gapsReady = true
      if (this.selected) {
        // keep the highlight on the area that still holds the selected one's first cell
        const cell = this.selected.cells[0]
        this.selected = value.areas.find((a) => cell && a.cells.includes(cell)) ?? null
        this.ctx.onLayers()
      }
      this.render()
    }, 30)
  }

  pick(rank: number): void {
    const gap = this.gaps?.areas.find((g) => g.rank === rank)
    if (!gap) return
    this.selected = gap
    const bbox = featuresBBox([{ type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: gap.polygon } }])
    if (bbox) this.ctx.fitBounds(bbox)
    this.ctx.onLayers()
    this.render()
  }

  render(): void {
    const el = this.ctx.el()
    const count = this.ctx.count()
    if (count) count.textContent = this.gaps && !this.stale ? String(this.gaps.all) : ''
    if (!el) return
    const demand = this.ctx.demand()
    if (!demand || this.ctx.loading()) {
      el.innerHTML = ''
      return
    }
    el.innerHTML = gapsHtml({
      areas: this.gaps?.areas ?? null,
      allAreas: this.gaps?.all ?? 0,
      minCellDemand: demand.minCellDemand,
      unserved: this.ctx.unserved(),
      unit: this.ctx.unit(),
      selectedRank: this.selected?.rank ?? null,
      regionName: this.ctx.regionName,
      updating: this.stale,
    })
  }
}
