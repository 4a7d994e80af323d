/**
 * The planning tab's own parts as HTML from view models: the settings form (rendered once, and on
 * a language change, so typing and sliding keep focus), the layer note, the figures and the edit
 * tools. Each sub-tab (gaps, siting, scenarios) is a view of its own in ./views/.
 */
import { KIND_INFO, STATION_KINDS } from '@core/station-kinds.ts'
import type { RegionCoverage } from '@core/coverage.ts'
import type { DemandLayerInfo } from '../api.ts'
import type { PlanKind, PlanSettings } from './plan-state.ts'
import { cssColor, esc } from '../dom.ts'
import { getLang } from '../i18n/lang.ts'
import { kindName } from '../i18n/names.ts'
import { formatCount, formatDemand, formatDistance, formatPercent } from '../format.ts'
import { t } from './strings.ts'
import { UNSERVED_RAMP, COVERED_COLOR } from '../layers/demand-shading.ts'
import type { AnyRegionCollection } from '../types.ts'

export type SubTab = 'gaps' | 'siting' | 'scenarios' | 'province'
export type Tool = 'select' | 'add'

export interface RegionOption {
  code: string
  name: string
  name_en: string
  /** a city's option reads "(whole city)"; its counties are indented under it */
  level: 'city' | 'county'
  parent: string | null
}

/** 黑河市 and its counties, 金乡县, 南城县 — the programme places, in the UI order. */
export function regionOptions(regions: AnyRegionCollection, placeCodes: readonly string[]): RegionOption[] {
  const out: RegionOption[] = []
  for (const code of placeCodes) {
    const self = regions.features.find((f) => f.properties.code === code)?.properties
    if (!self) continue
    out.push({ code, name: self.name, name_en: self.name_en, level: self.level === 'city' ? 'city' : 'county', parent: null })
    const children = regions.features.filter((f) => f.properties.parent_code === code).map((f) => f.properties)
    children.sort((a, b) => a.code.localeCompare(b.code))
    for (const c of children) out.push({ code: c.code, name: c.name, name_en: c.name_en, level: 'county', parent: code })
  }
  return out
}

const lname = (o: { name: string; name_en: string }) => (getLang() === 'en' ? o.name_en || o.name : o.name)
export const layerName = (l: DemandLayerInfo) => (getLang() === 'en' ? l.name_en : l.name)
export const layerUnit = (l: Pick<DemandLayerInfo, 'unit' | 'unit_en'>) => (getLang() === 'en' ? l.unit_en : l.unit)

/** 模型估算 / 示例数据 badges: every figure built on modelled or invented data says so. */
export function layerBadges(l: Pick<DemandLayerInfo, 'modelled' | 'demo'>): string {
  return `${l.modelled ? `<span class="badge-model">${esc(t('modelled'))}</span>` : ''}${l.demo ? `<span class="badge-demo">${esc(t('demoData'))}</span>` : ''}`
}

// ---------------------------------------------------------------- the form (once)

export interface ShellModel {
  settings: PlanSettings
  regions: RegionOption[]
  layers: DemandLayerInfo[]
  subTab: SubTab
}

// The province run (a whole province, not this county's plan) is a sub-tab of its own: as a section
// beside the sub-panes it took their height, and the third gap was cut off at 1366×768.
export function planShellHtml(m: ShellModel): string {
  const s = m.settings
  const regionOpts = m.regions
    .map((r) => {
      const label = r.level === 'city' ? t('wholeCity', { name: lname(r) }) : r.parent ? `\u3000${lname(r)}` : lname(r)
      return `<option value="${esc(r.code)}"${r.code === s.region ? ' selected' : ''}>${esc(label)}</option>`
    })
    .join('')
  const kindOpts = [`<option value="all"${s.kind === 'all' ? ' selected' : ''}>${esc(t('allKinds'))}</option>`]
    .concat(STATION_KINDS.map((k) => `<option value="${k}"${s.kind === k ? ' selected' : ''}>${esc(kindName(k))}</option>`))
    .join('')
  const layerOpts = m.layers.map((l) => `<option value="${esc(l.id)}"${l.id === s.layer ? ' selected' : ''}>${esc(layerName(l))}</option>`).join('')
  const sub = (id: SubTab, label: string) =>
    `<button type="button" role="tab" class="subtab${m.subTab === id ? ' active' : ''}" aria-selected="${m.subTab === id}" data-subtab="${id}" data-testid="subtab-${id}">${esc(label)}<span class="subtab-count" data-slot="count-${id}"></span></button>`
  return `<div class="plan">
    <details class="section plan-settings" data-details="settings"${detailsOpen.has('settings-closed') ? '' : ' open'}>
      <summary class="section-title"><span>${esc(t('planConditions'))}</span><span class="layer-note" data-slot="layer-note"></span></summary>
      <div class="field-grid">
        <label class="field"><span class="field-label">${esc(t('planRegion'))}</span>
          <select data-plan="region" data-testid="plan-region">${regionOpts}</select></label>
        <label class="field"><span class="field-label">${esc(t('planKind'))}</span>
          <select data-plan="kind" data-testid="plan-kind">${kindOpts}</select></label>
        <label class="field"><span class="field-label">${esc(t('planLayer'))}</span>
          <select data-plan="layer" data-testid="plan-layer">${layerOpts}</select></label>
        <label class="field"><span class="field-label" title="${esc(t('atHint'))}">${esc(t('planAt'))}</span>
          <span class="time-row"><input type="time" data-plan="at" data-testid="plan-at" value="${esc(s.at ?? '')}" /><button type="button" class="link-btn" data-plan-action="clear-at" title="${esc(t('atAnyTime'))}">${esc(t('atAnyTime'))}</button></span></label>
        <div class="field field-wide plan-reach">
          <span class="field-label"><span class="reach-label"><span data-slot="reach-label">${esc(t('planRadius'))}</span><span class="field-hint" data-slot="radius-hint"></span></span><span class="rule-switch" data-slot="rule" data-testid="plan-rule"></span></span>
          <div class="radius-row">
            <input type="range" min="200" max="5000" step="100" data-plan="radius-range" aria-label="${esc(t('planRadius'))}" />
            <span class="num-unit"><input type="number" min="50" max="50000" step="50" data-plan="radius" data-testid="plan-radius" aria-label="${esc(t('planRadius'))}" /><span>${esc(t('metres'))}</span></span>
            <button type="button" class="link-btn" data-plan-action="reset-radius">${esc(t('resetRadius'))}</button>
          </div>
          <div class="rule-row" data-slot="rule-row" hidden></div>
        </div>
      </div>
    </details>
    <section class="section plan-figures" data-slot="figures" data-testid="plan-figures"></section>
    <section class="section plan-tools" data-slot="tools" aria-label="${esc(t('editTools'))}"></section>
    <div class="subtabs" role="tablist">${sub('gaps', t('tabGaps'))}${sub('siting', t('tabSiting'))}${sub('scenarios', t('tabScenarios'))}${sub('province', t('tabProvince'))}</div>
    <section class="section subpane" data-slot="gaps" data-testid="gap-list"${m.subTab === 'gaps' ? '' : ' hidden'}></section>
    <section class="section subpane" data-slot="siting"${m.subTab === 'siting' ? '' : ' hidden'}></section>
    <section class="section subpane" data-slot="scenarios"${m.subTab === 'scenarios' ? '' : ' hidden'}></section>
    <section class="section subpane province-run" data-slot="province"${m.subTab === 'province' ? '' : ' hidden'}>
      <h3 class="section-title">${esc(t('provinceTitle'))}</h3>
      <div data-slot="province-run" data-testid="province-run-section"></div>
    </section>
    <div class="plan-status" data-slot="status" role="status"></div>
  </div>`
}

// ---------------------------------------------------------------- the coverage rule (直线 / 路网)

export interface RuleModel {
  settings: Pick<PlanSettings, 'metric' | 'mode' | 'minutes'>
  /** roads for the region: null while asking, else whether they are loaded */
  roads: { loaded: boolean; edges: number; extract: string | null } | null
  /** the graph is on its way (network chosen) */
  loadingGraph: boolean
}

/**
 * The coverage rule in the reach field's label line, taking no room of its own: where roads are
 * loaded a 直线 / 路网 switch, else the note that coverage is straight-line. By road, the radius
 * row gives way to minutes and mode (ruleRowHtml).
 */
export function ruleSwitchHtml(m: RuleModel): string {
  if (!m.roads) return `<span class="rule-note" data-testid="rule-note">${esc(t('ruleRoadsLoading'))}</span>`
  if (!m.roads.loaded) return `<span class="rule-note rule-straight" data-testid="rule-note" title="${esc(t('ruleStraightOnlyTitle'))}">${esc(t('ruleStraightOnly'))}</span>`
  const network = m.settings.metric === 'network'
  const seg = (metric: 'straight' | 'network', label: string) =>
    `<button type="button" class="seg-btn${(metric === 'network') === network ? ' active' : ''}" data-plan-metric="${metric}" data-testid="rule-${metric}" aria-pressed="${(metric === 'network') === network}">${esc(label)}</button>`
  return `<span class="seg seg-mini" role="group" aria-label="${esc(t('planRule'))}">${seg('straight', t('ruleStraight'))}${seg('network', t('ruleNetwork'))}</span>`
}

export function ruleRowHtml(m: RuleModel): string {
  const s = m.settings
  const note = m.loadingGraph ? t('ruleRoadsLoading') : t('ruleNetworkNote', { edges: formatCount(m.roads?.edges ?? 0), extract: m.roads?.extract ?? '' })
  return `<span class="num-unit"><input type="number" min="1" max="60" step="1" data-plan="minutes" data-testid="rule-minutes" value="${s.minutes}" aria-label="${esc(t('ruleMinutes'))}" /><span>${esc(t('ruleMinutes'))}</span></span>
    <select data-plan="mode" data-testid="rule-mode" aria-label="${esc(t('ruleMode'))}">
      <option value="ebike"${s.mode === 'ebike' ? ' selected' : ''}>${esc(t('modeEbike'))}</option>
      <option value="foot"${s.mode === 'foot' ? ' selected' : ''}>${esc(t('modeFoot'))}</option>
    </select>
    <span class="rule-note" data-testid="rule-network-note" title="${esc(note)}">${esc(note)}</span>`
}

/** Radius controls follow the kind: "each station's own" for all kinds, else the kind default. */
export function radiusHint(kind: PlanKind, radius: number | null): { hint: string; value: number; disabledReset: boolean } {
  if (kind === 'all') return { hint: radius ? '' : t('radiusOwn'), value: radius ?? 1500, disabledReset: radius === null }
  const d = KIND_INFO[kind].radius_m
  return { hint: t('radiusDefault', { d: formatDistance(d) }), value: radius ?? d, disabledReset: radius === null || radius === d }
}

/** The layer's badges and unit; its grid resolution is for the calculation details, not the planner's eye. */
export function layerNoteHtml(l: DemandLayerInfo | undefined, res: number | null): string {
  if (!l) return ''
  const grid = l.kind === 'h3' && res !== null ? ` · ${t('h3Res', { res })}` : ''
  return `${layerBadges(l)}<span class="layer-source" title="${esc(l.source + grid)}">${esc(t('unitLabel', { unit: layerUnit(l) }))}</span>`
}

/** Which calculation-details toggles are open (they survive the re-render of every recompute). */
export const detailsOpen = new Set<string>()

// ---------------------------------------------------------------- figures

export interface FiguresModel {
  loading: boolean
  empty: boolean
  error: string | null
  ratio: number
  covered: number
  total: number
  unit: string
  /** ratio without the plan's edits; null when the plan has none */
  baseline: number | null
  composition: { existing: number; added: number; moved: number; removed: number; suggested: number }
  byRegion: RegionCoverage[]
  regionName: (code: string) => string
  recomputeMs: number | null
  cells: number
  resolution: number | null
  pointLayer: boolean
  at: { at: string; closed: number; unknown: number } | null
  breaks: readonly number[]
  /** by road: the rule and the demand no road reaches; null = straight-line */
  network: { mode: 'ebike' | 'foot'; minutes: number; noRoad: number } | null
  /** the demand layer's source and licence: every figure says what it was computed on */
  source: { text: string; licence: string | null } | null
}

export function figuresHtml(m: FiguresModel): string {
  if (m.error) return `<div class="panel-status error">${esc(m.error)}</div>`
  if (m.loading) return `<div class="panel-status">${esc(t('loadingDemand'))}</div>`
  if (m.empty) return `<div class="panel-status">${esc(t('noDemand'))}</div>`
  const delta = m.baseline === null ? '' : (() => {
    const d = (m.ratio - m.baseline) * 100
    const sign = d > 0.05 ? 'up' : d < -0.05 ? 'down' : 'flat'
    return `<span class="delta ${sign}" data-testid="plan-delta">${esc(t('vsBaseline', { delta: `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}` }))}</span>`
  })()
  const c = m.composition
  const lowest = m.byRegion.length > 1 ? m.byRegion.reduce((a, b) => (b.ratio < a.ratio ? b : a)) : null
  const rows = lowest
    ? `<details class="county-details" data-details="counties"${detailsOpen.has('counties') ? ' open' : ''}>
      <summary><span class="county-sum-title">${esc(t('byCounty'))}</span><span class="county-sum">${esc(t('byCountyLowest', { n: formatCount(m.byRegion.length), name: m.regionName(lowest.code), ratio: formatPercent(lowest.ratio) }))}</span></summary>
      <table class="summary county-table" data-testid="plan-by-county">
        <thead><tr><th>${esc(t('county'))}</th><th>${esc(t('covered'))}</th><th>${esc(t('total'))}</th><th>${esc(t('coverageRatio'))}</th></tr></thead>
        <tbody>${m.byRegion.map((r) => `<tr data-code="${esc(r.code)}"><td>${esc(m.regionName(r.code))}</td><td>${formatDemand(r.covered)}</td><td>${formatDemand(r.total)}</td><td class="ratio-cell"><span class="bar"><i style="width:${(r.ratio * 100).toFixed(1)}%"></i></span>${formatPercent(r.ratio)}</td></tr>`).join('')}</tbody>
      </table>
    </details>`
    : ''
  const note = m.recomputeMs === null ? '' : m.pointLayer
    ? t('recomputeNotePoints', { ms: m.recomputeMs.toFixed(1), cells: formatCount(m.cells) })
    : t('recomputeNote', { ms: m.recomputeMs.toFixed(1), cells: formatCount(m.cells), res: m.resolution ?? '' })
  // one line beside the big figure (the full text in its tooltip), so the gap list stays in view at 1366×768
  const sourceText = m.source ? `${t('layerSourceLine', { source: m.source.text })}${m.source.licence ? ` · ${t('layerLicence', { licence: m.source.licence })}` : ''}` : ''
  const ramp = UNSERVED_RAMP.map((col) => `<i style="background:${cssColor(col, col[3] / 255)}"></i>`).join('')
  const lo = m.breaks.length ? formatDemand(m.breaks[0]!) : ''
  const hi = m.breaks.length ? `>${formatDemand(m.breaks.at(-1)!)}` : ''
  return `<div class="figure-head">
      <div class="big-ratio" data-testid="plan-ratio" data-ratio="${m.ratio}">${formatPercent(m.ratio)}</div>
      <div class="figure-side">
        <div class="figure-label">${esc(t('coverageRatio'))}${delta}</div>
        <div class="figure-sub" data-testid="plan-covered">${esc(t('coveredOfTotal', { covered: formatDemand(m.covered), total: formatDemand(m.total), unit: m.unit }))}</div>
        ${m.source ? `<div class="figure-source" data-testid="plan-source" title="${esc(sourceText)}">${esc(sourceText)}</div>` : ''}
      </div>
    </div>
    <div class="composition">${esc(t('planComposition', { existing: formatCount(c.existing), added: formatCount(c.added + c.suggested), moved: formatCount(c.moved), removed: formatCount(c.removed) }))}</div>
    ${m.network ? `<div class="rule-figure" data-testid="plan-rule-figure">${esc(t('ruleFigure', { minutes: m.network.minutes, mode: m.network.mode === 'ebike' ? t('modeEbike') : t('modeFoot') }))}</div>` : ''}
    ${m.network && m.network.noRoad > 0 ? `<div class="no-road-note" data-testid="plan-no-road" data-demand="${m.network.noRoad}">${esc(t('noRoadAccess', { demand: formatDemand(m.network.noRoad), unit: m.unit }))}</div>` : ''}
    ${m.at ? `<div class="at-note">${esc(t('atNote', { at: m.at.at, closed: formatCount(m.at.closed), unknown: formatCount(m.at.unknown) }))}</div>` : ''}
    ${rows}
    <div class="map-key">
      <span class="ramp-key"><span class="ramp">${ramp}</span><span class="ramp-labels"><span>${esc(lo)}</span><span>${esc(hi)}</span></span></span>
      <span class="key-text">${esc(t('legendUnserved', { unit: m.unit }))}</span>
      <span class="covered-key"><i style="background:${cssColor(COVERED_COLOR, 0.35)}"></i>${esc(t('legendCovered'))}</span>
    </div>
    <details class="tech-details" data-details="figures"${detailsOpen.has('figures') ? ' open' : ''}><summary>${esc(t('techDetails'))}</summary>
      <div class="recompute-note" data-testid="recompute-note">${esc(note)}</div>
    </details>`
}

// ---------------------------------------------------------------- tools

export interface ToolsModel {
  tool: Tool
  canEdit: boolean
  canUndo: boolean
  hasChanges: boolean
}

export function toolsHtml(m: ToolsModel): string {
  if (!m.canEdit) return `<p class="hint tools-hint">${esc(t('editAllKinds'))}</p>`
  const btn = (tool: Tool, label: string, icon: string) =>
    `<button type="button" class="seg-btn${m.tool === tool ? ' active' : ''}" data-tool="${tool}" data-testid="tool-${tool}" aria-pressed="${m.tool === tool}">${icon}${esc(label)}</button>`
  return `<div class="tool-row">
      <div class="seg">${btn('select', t('toolSelect'), ICON_DRAG)}${btn('add', t('toolAdd'), ICON_ADD)}</div>
      <span class="tool-gap"></span>
      <button type="button" class="btn btn-small" data-plan-action="undo" data-testid="plan-undo" title="${esc(t('undo'))}"${m.canUndo ? '' : ' disabled'}>${ICON_UNDO}${esc(t('undo'))}</button>
      <button type="button" class="btn btn-small" data-plan-action="reset-plan"${m.hasChanges ? '' : ' disabled'}>${esc(t('resetPlan'))}</button>
    </div>
    <p class="hint tools-hint">${esc(m.tool === 'add' ? t('addHint') : t('editHint'))}</p>`
}

const ICON_DRAG = `<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M8 1v14M1 8h14M8 1 6 3m2-2 2 2M8 15l-2-2m2 2 2-2M1 8l2-2M1 8l2 2m12-2-2-2m2 2-2 2" fill="none" stroke="currentColor" stroke-width="1.3" stroke-linecap="round"/></svg>`
const ICON_ADD = `<svg viewBox="0 0 16 16" aria-hidden="true"><circle cx="8" cy="8" r="6.2" fill="none" stroke="currentColor" stroke-width="1.3"/><path d="M8 5v6M5 8h6" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/></svg>`
const ICON_UNDO = `<svg viewBox="0 0 16 16" aria-hidden="true"><path d="M5 3 2 6l3 3M2.5 6H10a4 4 0 0 1 0 8H7" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round" stroke-linejoin="round"/></svg>`

/** The radius box, slider, hint and reset button showing `s` (an input being typed in keeps its text). */
export function syncRadiusInputs(root: HTMLElement, s: PlanSettings): void {
  const { hint, value, disabledReset } = radiusHint(s.kind, s.radius)
  const hintEl = root.querySelector<HTMLElement>('[data-slot="radius-hint"]')
  if (hintEl) hintEl.textContent = hint
  for (const sel of ['[data-plan="radius"]', '[data-plan="radius-range"]']) {
    const input = root.querySelector<HTMLInputElement>(sel)
    // all kinds without an override: no one number applies, so the box stays empty
    const blank = sel === '[data-plan="radius"]' && s.kind === 'all' && s.radius === null
    if (input && document.activeElement !== input) input.value = blank ? '' : String(value)
  }
  const reset = root.querySelector<HTMLButtonElement>('[data-plan-action="reset-radius"]')
  if (reset) reset.disabled = disabledReset
}

/** Shows one sub-tab (gaps, siting, scenarios, province) and its button as selected. */
export function showSubTab(root: HTMLElement, sub: SubTab): void {
  for (const b of root.querySelectorAll<HTMLElement>('[data-subtab]')) {
    b.classList.toggle('active', b.dataset.subtab === sub)
    b.setAttribute('aria-selected', String(b.dataset.subtab === sub))
  }
  for (const name of ['gaps', 'siting', 'scenarios', 'province']) root.querySelector(`[data-slot="${name}"]`)?.toggleAttribute('hidden', name !== sub)
}

/** The tab's status line: a message shown for four seconds ("saved", "loaded"). */
export class StatusLine {
  private text = ''
  private timer: ReturnType<typeof setTimeout> | null = null

  constructor(private readonly el: () => HTMLElement | null) {}

  flash(text: string): void {
    this.text = text
    this.render()
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.text = ''
      this.render()
    }, 4000)
  }

  render(): void {
    const el = this.el()
    if (!el) return
    el.textContent = this.text
    el.classList.toggle('show', !!this.text)
  }
}

