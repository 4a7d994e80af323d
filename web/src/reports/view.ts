/**
 * The editors' list drawn from its state: filters (the form keeps its elements, and the focus;
 * only options and words change), the status line, the table page, the pager and the map legend.
 */
import { currentUser, mayWrite, signInHref } from '../page/account.ts'
import { navLinks } from '@core/nav-links.ts'
import { REPORT_PROBLEMS } from '@core/report-problems.ts'
import { STATION_KINDS } from '@core/station-kinds.ts'
import { esc } from '../dom.ts'
import { formatCount, formatDateTime } from '../format.ts'
import { langQuery } from '../i18n/lang.ts'
import { kindName } from '../i18n/names.ts'
import { PROBLEM_COLORS } from './problem-colors.ts'
import type { ReportRow } from './paging.ts'
import { pageCount, type ReportsState } from './state.ts'
import { t } from './strings.ts'

/** The place → counties tree the county filter offers (from /api/regions). */
export interface PlaceTree {
  code: string
  name: string
  /** the place's county-level divisions (a county place: none) */
  counties: Array<{ code: string; name: string }>
}

export function topHtml(): string {
  return `<h1>${esc(t('title'))}</h1>
    <nav class="rp-nav">
      <a href="/${langQuery()}">${esc(t('planner'))}</a>
      <a href="/rider${langQuery()}">${esc(t('rider'))}</a>
      <button type="button" class="rp-btn rp-btn-quiet rp-lang" data-action="lang" title="${esc(t('switchLangTitle'))}">${esc(t('switchLang'))}</button>
      <span data-slot="account"></span>
    </nav>`
}

export function renderFilters(form: HTMLFormElement, s: ReportsState, places: readonly PlaceTree[]): void {
  const sel = (name: string) => form.querySelector<HTMLSelectElement>(`[name="${name}"]`)!
  for (const k of ['region', 'kind', 'problem', 'status'] as const) form.querySelector(`[data-label="${k}"]`)!.textContent = t(k === 'region' ? 'county' : k)
  const opt = (value: string, label: string) => `<option value="${esc(value)}">${esc(label)}</option>`
  sel('region').innerHTML =
    opt('', t('all')) +
    places
      .map((p) => (p.counties.length ? `<optgroup label="${esc(p.name)}">${opt(p.code, t('allPlace', { name: p.name }))}${p.counties.map((c) => opt(c.code, c.name)).join('')}</optgroup>` : opt(p.code, p.name)))
      .join('')
  sel('kind').innerHTML = opt('', t('all')) + STATION_KINDS.map((k) => opt(k, kindName(k))).join('')
  sel('problem').innerHTML = opt('', t('all')) + REPORT_PROBLEMS.map((p) => opt(p, t(`problem.${p}`))).join('')
  sel('status').innerHTML = opt('open', t('status.open')) + opt('resolved', t('status.resolved')) + opt('', t('all'))
  const f = s.filters
  sel('region').value = f.region
  sel('kind').value = f.kind
  sel('problem').value = f.problem
  sel('status').value = f.status
  form.querySelector('[data-action="reset"]')!.textContent = t('reset')
  form.querySelector('[data-action="refresh"]')!.textContent = t('refresh')
}

export function statusLine(s: ReportsState, filtered: number): string {
  if (s.message) return s.message
  if (s.loading) return t('loading')
  const loaded = s.rows?.length ?? 0
  const line = filtered === loaded ? t('shown', { n: formatCount(filtered) }) : t('shownOf', { n: formatCount(filtered), total: formatCount(loaded) })
  return s.truncated ? `${line} · ${t('truncated', { n: formatCount(loaded) })}` : line
}

export const COLUMNS = ['colTime', 'colCounty', 'colStation', 'colKind', 'colProblem', 'colNote', 'colWhere', 'colStatus'] as const

/** the table's own, shorter headers where the CSV's would not fit a column */
const SHORT: Partial<Record<(typeof COLUMNS)[number], 'thTime' | 'thWhere'>> = { colTime: 'thTime', colWhere: 'thWhere' }

export function headHtml(): string {
  return `<tr>${COLUMNS.map((k) => `<th scope="col" class="c-${k}" title="${esc(t(k))}">${esc(t(SHORT[k] ?? k))}</th>`).join('')}<th scope="col" class="c-action"></th></tr>`
}

export function rowHtml(r: ReportRow, selected: boolean, regionName: (code: string | null) => string): string {
  const where = r.position
    ? (() => {
        const [lon, lat] = r.position
        const links = navLinks([lon, lat], { name: t('reportedAt', { name: r.station_name }), src: 'webapp.stationatlas.reports' })
        return `<a href="${esc(links.amap)}" target="_blank" rel="noopener" title="${esc(t('coords', { lat: lat.toFixed(5), lon: lon.toFixed(5) }))}">${esc(t('openMap'))} ↗</a>`
      })()
    : `<span class="muted">${esc(t('notGiven'))}</span>`
  const next = r.status === 'open' ? 'resolved' : 'open'
  return `<tr data-id="${esc(r.id)}" class="is-${esc(r.status)}${selected ? ' is-selected' : ''}" aria-selected="${selected}">
      <td class="c-colTime">${esc(formatDateTime(new Date(r.created_at)))}</td>
      <td class="c-colCounty" data-code="${esc(r.county_code ?? '')}" title="${esc(regionName(r.county_code))}">${esc(regionName(r.county_code))}</td>
      <td class="c-colStation" title="${esc(r.station_name)}">${esc(r.station_name)}</td>
      <td class="c-colKind" data-kind="${esc(r.station_kind ?? '')}" title="${r.station_kind ? esc(kindName(r.station_kind)) : ''}">${r.station_kind ? esc(kindName(r.station_kind, 'short')) : '<span class="muted">—</span>'}</td>
      <td class="c-colProblem" data-problem="${esc(r.problem)}"><span class="rp-chip"><i style="background:${PROBLEM_COLORS[r.problem]}"></i>${esc(t(`problem.${r.problem}`))}</span></td>
      <td class="c-colNote" title="${esc(r.note)}">${esc(r.note) || '<span class="muted">—</span>'}</td>
      <td class="c-colWhere">${where}</td>
      <td class="c-colStatus"><span class="rp-status-tag is-${esc(r.status)}">${esc(t(`status.${r.status}`))}</span></td>
      <td class="c-action">${
        // resolving needs an editor of the report's county (the API checks it too)
        mayWrite(currentUser(), r.county_code)
          ? `<button type="button" class="rp-btn rp-btn-small" data-set="${next}">${esc(t(next === 'resolved' ? 'resolve' : 'reopen'))}</button>`
          : `<a class="rp-signin" href="${esc(signInHref())}" data-testid="signin-prompt">${esc(t(currentUser() ? 'noGrant' : 'signInToResolve'))}</a>`
      }</td>
    </tr>`
}

export function emptyRowHtml(): string {
  return `<tr class="rp-empty"><td colspan="${COLUMNS.length + 1}">${esc(t('none'))}</td></tr>`
}

export function pagerHtml(page: number, total: number): string {
  const pages = pageCount(total)
  return `<button type="button" class="rp-btn rp-btn-quiet" data-page="${page - 1}" ${page <= 0 ? 'disabled' : ''}>‹ ${esc(t('prev'))}</button>
    <span class="rp-pageof">${esc(t('pageOf', { page: page + 1, pages }))}</span>
    <button type="button" class="rp-btn rp-btn-quiet" data-page="${page + 1}" ${page >= pages - 1 ? 'disabled' : ''}>${esc(t('next'))} ›</button>`
}

export function legendHtml(): string {
  return REPORT_PROBLEMS.map((p) => `<li><i style="background:${PROBLEM_COLORS[p]}"></i>${esc(t(`problem.${p}`))}</li>`).join('')
}

export function mapNote(filtered: readonly ReportRow[]): string {
  const without = filtered.filter((r) => !r.position).length
  return without ? t('mapNoPosition', { n: formatCount(without) }) : filtered.length ? t('mapAll') : ''
}
