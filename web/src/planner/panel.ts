/** Side panel: legend with kind filter, fly-to places, station counts per place. */
import { KIND_INFO, STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import { cssColor, esc } from '../dom.ts'
import { getLang } from '../i18n/lang.ts'
import { kindName } from '../i18n/names.ts'
import { formatCount, formatDistance } from '../format.ts'
import { t } from './strings.ts'
import { placeName, type Place } from '../places.ts'
import { activeSymbol, kindSwatch, plannedSymbol } from './legend-swatch.ts'

export type KindCounts = Record<StationKind, number>

export interface PanelModel {
  visible: ReadonlySet<StationKind>
  byKind: KindCounts
  places: Place[]
  byPlace: ReadonlyMap<string, KindCounts>
  activePlace: string | null
  shown: number
  total: number
  hasDemo: boolean
}

export interface PanelActions {
  onToggleKind(kind: StationKind, visible: boolean): void
  /** place code, or 'all' for the overview */
  onFly(target: string): void
}

export function emptyCounts(): KindCounts {
  return { service_centre: 0, red_sail: 0, rider_rest: 0, worksite: 0 }
}

const sum = (c: KindCounts) => STATION_KINDS.reduce((n, k) => n + c[k], 0)

function legend(m: PanelModel): string {
  const items = STATION_KINDS.map((kind) => {
    const on = m.visible.has(kind)
    return `<li class="legend-item${on ? '' : ' off'}">
      <label>
        <input type="checkbox" data-kind="${kind}" ${on ? 'checked' : ''} />
        ${kindSwatch(KIND_INFO[kind].color)}
        <span class="legend-name">${esc(kindName(kind))}<span class="legend-radius">${esc(formatDistance(KIND_INFO[kind].radius_m))}</span></span>
        <span class="legend-count" data-testid="count-${kind}">${formatCount(m.byKind[kind])}</span>
      </label>
    </li>`
  }).join('')
  return `<section class="section">
    <h2 class="section-title">${esc(t('legend'))}</h2>
    <ul class="legend">${items}</ul>
    <div class="status-key"><span>${activeSymbol()}${esc(t('active'))}</span><span>${plannedSymbol()}${esc(t('planned'))}</span></div>
  </section>`
}

function places(m: PanelModel): string {
  const lang = getLang()
  const btn = (code: string, name: string, meta: string) =>
    `<button type="button" class="place-btn${m.activePlace === code ? ' active' : ''}" data-fly="${esc(code)}">
      <span class="place-name">${esc(name)}</span><span class="place-meta">${esc(meta)}</span>
    </button>`
  const stations = (n: number) => t('stationCount', { n: formatCount(n) })
  return `<section class="section">
    <h2 class="section-title">${esc(t('places'))}</h2>
    <div class="places">
      ${btn('all', t('overview'), stations(m.total))}
      ${m.places.map((p) => btn(p.code, placeName(p, lang), stations(sum(m.byPlace.get(p.code) ?? emptyCounts())))).join('')}
    </div>
  </section>`
}

function summary(m: PanelModel): string {
  const lang = getLang()
  const cell = (kind: StationKind, n: number) =>
    `<td class="${m.visible.has(kind) ? '' : 'off'}${n ? '' : ' zero'}">${formatCount(n)}</td>`
  const rows = m.places.map((p) => {
    const c = m.byPlace.get(p.code) ?? emptyCounts()
    return `<tr><td>${esc(placeName(p, lang))}</td>${STATION_KINDS.map((k) => cell(k, c[k])).join('')}<td>${formatCount(sum(c))}</td></tr>`
  }).join('')
  const head = STATION_KINDS.map((k) =>
    `<th class="kind-col${m.visible.has(k) ? '' : ' off'}" title="${esc(kindName(k))}" data-testid="summary-head-${k}"><span class="dot" style="background:${cssColor(KIND_INFO[k].color)}"></span>${esc(kindName(k, 'short'))}</th>`,
  ).join('')
  return `<section class="section">
    <h2 class="section-title">${esc(t('summary'))}</h2>
    <table class="summary">
      <thead><tr><th>${esc(t('place'))}</th>${head}<th>${esc(t('total'))}</th></tr></thead>
      <tbody>${rows}</tbody>
      <tfoot><tr><td>${esc(t('total'))}</td>${STATION_KINDS.map((k) => cell(k, m.byKind[k])).join('')}<td>${formatCount(m.total)}</td></tr></tfoot>
    </table>
    <div class="panel-foot">
      <span data-testid="shown">${esc(t('stationsShown', { shown: formatCount(m.shown), total: formatCount(m.total) }))}</span>
      ${m.hasDemo ? `<span class="badge-demo">${esc(t('demoData'))}</span>` : ''}
    </div>
  </section>`
}

export function renderPanel(el: HTMLElement, m: PanelModel): void {
  el.innerHTML = legend(m) + places(m) + summary(m)
}

export function renderPanelStatus(el: HTMLElement, text: string, isError = false): void {
  el.innerHTML = `<div class="panel-status${isError ? ' error' : ''}">${esc(text)}</div>`
}

export function bindPanel(el: HTMLElement, actions: PanelActions): void {
  el.addEventListener('change', (e) => {
    const input = e.target as HTMLInputElement
    const kind = input.dataset.kind as StationKind | undefined
    if (kind) actions.onToggleKind(kind, input.checked)
  })
  el.addEventListener('click', (e) => {
    const fly = (e.target as HTMLElement).closest<HTMLElement>('[data-fly]')?.dataset.fly
    if (fly) actions.onFly(fly)
  })
}
