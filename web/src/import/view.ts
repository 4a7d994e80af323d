/** The import page's HTML: the side panel (gate, form, mapping, summary, export) and the rows table. */
import type { ImportProgress, ImportReport, ImportReportRow } from '../api.ts'
import { esc } from '../dom.ts'
import { formatCount as formatNumber } from '../format.ts'
import { signInHref } from '../page/account.ts'
import { ACTIONS, applyPlan, countsOf, effectiveRow, type ImportState, type RowAction } from './state.ts'
import { t } from './strings.ts'
import { d } from './demand-strings.ts'

/** Rows drawn in the table at most (the map draws every row). */
export const TABLE_ROWS = 500

export const ACTION_COLORS: Record<RowAction, string> = { create: '#1c7c54', update: '#2563c9', unchanged: '#8a94a3', reject: '#c0352b', to_place: '#d08300' }

const FIELDS = ['id', 'external_id', 'name', 'kind', 'lon', 'lat', 'address', 'opening_hours', 'amenities', 'phone', 'operator', 'capacity', 'status', 'radius_m', 'region_code']

const options = <T extends string>(values: readonly T[], current: T, label: (v: T) => string) =>
  values.map((v) => `<option value="${esc(v)}"${v === current ? ' selected' : ''}>${esc(label(v))}</option>`).join('')

export function gateHtml(signedIn: boolean): string {
  return `<div class="im-card im-gate" data-testid="import-gate"><p>${esc(signedIn ? t('gateNoGrant') : t('gate'))}</p>${signedIn ? '' : `<a class="btn-strong" href="${esc(signInHref())}" data-testid="signin-link">${esc(t('gateLink'))}</a>`}</div>`
}

function formHtml(s: ImportState): string {
  const r = s.report
  const plan = applyPlan(r, s.placed, s.onInvalid)
  const busy = s.busy !== null
  // the report of an applied import: nothing more to apply until the next dry run
  const done = r?.dry_run === false
  const sheets = r?.sheets ?? []
  return `<form class="im-card im-form" data-form="import">
    <p class="im-filename" data-testid="import-filename">${esc(s.file ? `${s.file.name} · ${formatNumber(Math.ceil(s.file.size / 1024))} KB` : t('chooseFile'))}</p>
    <div class="im-row">
      ${sheets.length > 1 ? `<label class="im-field"><span>${esc(t('sheet'))}</span><select name="sheet" data-testid="import-sheet">${options(sheets, s.sheet ?? r?.sheet ?? sheets[0]!, (v) => v)}</select></label>` : ''}
      <label class="im-field"><span>${esc(t('crs'))}</span><select name="crs" data-testid="import-crs">${options(['wgs84', 'gcj02', 'bd09'] as const, s.crs, (v) => t(`crs.${v}`))}</select></label>
      <label class="im-field"><span>${esc(t('encoding'))}</span><select name="encoding">${options(['auto', 'utf-8', 'gb18030'] as const, s.encoding, (v) => t(`encoding.${v}`))}</select></label>
      <label class="im-field"><span>${esc(t('onInvalid'))}</span><select name="on_invalid">${options(['reject', 'skip'] as const, s.onInvalid, (v) => t(`onInvalid.${v}`))}</select></label>
    </div>
    <div class="im-actions">
      <button type="submit" class="btn-plain" data-testid="import-dry-run" ${busy || !s.file ? 'disabled' : ''}>${esc(t('dryRun'))}</button>
      <button type="button" class="btn-strong" data-action="apply" data-testid="import-apply" ${busy || done || !('rows' in plan) ? 'disabled' : ''}>${esc(done ? t('applyDone') : 'rows' in plan ? t('apply', { n: formatNumber(plan.rows) }) : plan.blocked === 'nothing' ? t('applyNothing') : t('applyBlocked'))}</button>
      ${s.applied ? `<button type="button" class="btn-plain im-undo" data-action="undo" data-testid="import-undo" ${busy ? 'disabled' : ''}>${esc(t('undo'))}</button>` : ''}
    </div>
    ${busyHtml(s)}
    ${s.message ? `<p class="form-msg ${s.message.ok ? 'ok' : 'bad'}" data-testid="import-message" role="status">${esc(t(s.message.key, s.message.vars))}</p>` : ''}
    ${r && !done && 'blocked' in plan && plan.blocked === 'to-place' ? `<p class="im-note">${esc(t('toPlaceLeft', { n: countsOf(r, s.placed).to_place }))}</p>` : ''}
  </form>`
}

function busyHtml(s: ImportState): string {
  if (!s.busy) return ''
  if (s.busy.what === 'undo') return `<div class="im-progress" role="progressbar" aria-busy="true" data-testid="import-progress"><span class="im-bar"></span><span>${esc(t('undoing'))}</span></div>`
  return `<div class="im-progress" data-testid="import-progress">${progressInner(s.busy.progress ?? null)}</div>`
}

const MB = (bytes: number) => (bytes / 1048576).toFixed(1)

/**
 * The progress bar's contents for where the import stands: bytes sent, then rows read, checked and
 * written (each phase its own bar, filled by done / total); indeterminate while the file is opened.
 * Drawn by render and, between renders, by `showProgress` (main.ts) on each progress line.
 */
export function progressInner(p: ImportProgress | null): string {
  const known = p !== null && p.total !== null && p.total > 0
  const ratio = known ? Math.min(1, p.done / p.total!) : 0
  const text = !p ? t('phase.readOpen')
    : p.phase === 'upload' ? t('phase.upload', { done: MB(p.done), total: MB(p.total) })
    : p.total === null ? t('phase.readOpen')
    : t(`phase.${p.phase}`, { done: formatNumber(p.done), total: formatNumber(p.total) })
  const bar = known
    ? `<span class="im-bar is-known"><i style="width:${(ratio * 100).toFixed(1)}%"></i></span>`
    : '<span class="im-bar"></span>'
  return `<div role="progressbar" aria-valuemin="0" aria-valuemax="100" ${known ? `aria-valuenow="${Math.round(ratio * 100)}"` : 'aria-busy="true"'} aria-label="${esc(text)}" data-phase="${p?.phase ?? 'read'}" data-done="${p?.done ?? 0}" data-total="${p?.total ?? ''}">${bar}</div><span class="im-progress-text">${esc(text)}</span>`
}

/** One search hit of the place finder: offline township/county (approx marked) or an OSM place. */
export interface FinderHit {
  name: string
  detail: string
  lon: number
  lat: number
  approx: boolean
  source: 'places' | 'osm'
}

/** The place finder over the map while a row is being placed: hint, search box, hits. */
export function finderHtml(row: number, name: string, address: string, query: string): string {
  return `<p class="im-maphint" id="maphint">${esc(t('placing', { row, name }))}</p>
    <div class="im-find-body"><p class="im-find-address">${esc(address)}</p>
    <label class="im-find-q"><span>${esc(t('findTitle'))}</span><input type="search" data-testid="place-search" value="${esc(query)}" placeholder="${esc(t('findPlaceholder'))}" autocomplete="off"/></label>
    <p class="im-note">${esc(t('findHint'))}</p>
    <ul class="im-find-hits" data-testid="place-hits"></ul>
    <button type="button" class="btn-plain im-find-cancel" data-find="cancel">${esc(t('cancelPlacing'))}</button></div>`
}

export function finderHitsHtml(hits: FinderHit[], query: string, selected: number | null): string {
  if (!query.trim()) return ''
  if (!hits.length) return `<li class="im-note">${esc(t('findNone', { q: query }))}</li>`
  return hits.map((h, i) => `<li><button type="button" class="im-find-hit${selected === i ? ' is-on' : ''}" data-fly="${i}" data-testid="place-hit" data-approx="${h.approx}">
      <b>${esc(h.name)}</b> <small>${esc(h.detail)}</small>${h.approx ? `<em class="im-approx" data-testid="place-approx">${esc(t('approx'))}</em>` : ''}</button></li>`).join('')
}

function mappingHtml(r: ImportReport, s: ImportState): string {
  const rows = r.headers.map((h) => {
    const current = h in s.mapping ? s.mapping[h] : (r.mapping[h] ?? null)
    const opts = [`<option value=""${current === null ? ' selected' : ''}>${esc(t('ignore'))}</option>`, ...FIELDS.map((f) => `<option value="${f}"${f === current ? ' selected' : ''}>${f}</option>`)].join('')
    return `<tr><td>${esc(h)}</td><td><select data-map-column="${esc(h)}">${opts}</select></td></tr>`
  })
  return `<details class="im-card im-mapping" ${Object.keys(s.mapping).length ? 'open' : ''}><summary>${esc(t('mapping'))} · ${r.headers.length}</summary><p class="im-note">${esc(t('mappingHint'))}</p><table>${rows.join('')}</table></details>`
}

function summaryHtml(r: ImportReport, s: ImportState): string {
  const n = countsOf(r, s.placed)
  const chip = (a: RowAction | null, count: number) =>
    `<button type="button" class="im-chip${s.filter === a ? ' is-on' : ''}" data-filter="${a ?? ''}" data-testid="count-${a ?? 'all'}"><i style="background:${a ? ACTION_COLORS[a] : 'transparent'}"></i>${esc(a ? t(`action.${a}`) : t('all'))} <b>${formatNumber(count)}</b></button>`
  const meta = [r.format.toUpperCase(), r.sheet, r.encoding, t(`crs.${r.crs}`)].filter(Boolean).join(' · ')
  return `<div class="im-card im-summary" data-testid="import-summary"><h2>${esc(r.dry_run ? t('summary') : t('summaryApplied'))}</h2><p class="im-note">${esc(meta)}</p>
    <div class="im-chips">${chip(null, r.rows.length)}${ACTIONS.map((a) => chip(a, n[a])).join('')}</div></div>`
}

export function exportHtml(regions: { code: string; name: string }[], current: string, crs: string, url: (format: string) => string): string {
  return `<div class="im-card im-export"><h2>${esc(t('export'))}</h2><p class="im-note">${esc(t('exportHint'))}</p>
    <div class="im-row"><label class="im-field"><span>${esc(t('exportRegion'))}</span><select data-export="region">${[`<option value="">${esc(t('allRegions'))}</option>`, ...regions.map((r) => `<option value="${r.code}"${r.code === current ? ' selected' : ''}>${esc(r.name)}</option>`)].join('')}</select></label>
    <label class="im-field"><span>${esc(t('crs'))}</span><select data-export="crs">${options(['wgs84', 'gcj02', 'bd09'] as const, crs as 'wgs84', (v) => t(`crs.${v}`))}</select></label></div>
    <div class="im-actions">${['xlsx', 'csv', 'geojson'].map((f) => `<a class="btn-plain" download href="${esc(url(f))}" data-testid="export-${f}">${f === 'geojson' ? 'GeoJSON' : f.toUpperCase()}</a>`).join('')}</div></div>`
}

/** The header, the stations / demand tabs and the station file picker: drawn once per language and tab, so the chosen file stays in the input. */
export function headHtml(tab: 'stations' | 'demand' = 'stations'): string {
  const tabBtn = (id: 'stations' | 'demand', label: string) =>
    `<button type="button" role="tab" class="im-tab${tab === id ? ' is-on' : ''}" aria-selected="${tab === id}" data-im-tab="${id}" data-testid="import-tab-${id}">${esc(label)}</button>`
  const tabs = `<div class="im-tabs" role="tablist">${tabBtn('stations', d('tabStations'))}${tabBtn('demand', d('tabDemand'))}</div>`
  if (tab === 'demand') return `<div class="im-head"><h1>${esc(t('page'))}</h1></div>${tabs}`
  return `<div class="im-head"><h1>${esc(t('page'))}</h1><p>${esc(t('lead'))}</p></div>${tabs}
    <label class="im-card im-drop"><span class="im-drop-title">${esc(t('file'))}</span>
      <input type="file" name="file" accept=".xlsx,.csv,.txt,.geojson,.json" data-testid="import-file"/>
      <small>${esc(t('fileHint'))}</small></label>`
}

export function sideHtml(s: ImportState, exportPart: string): string {
  return `${formHtml(s)}${s.report ? summaryHtml(s.report, s) + mappingHtml(s.report, s) : ''}${exportPart}`
}

function detail(r: ImportReportRow, placed: boolean): string {
  if (r.errors?.length) return r.errors.map((e) => `${e.column ? `${e.column}: ` : ''}${e.message}`).join('；')
  if (r.action === 'update' && r.changes) return Object.entries(r.changes).map(([k, [a, b]]) => `${k}: ${JSON.stringify(a)} → ${JSON.stringify(b)}`).join('；')
  if (r.action === 'to_place' || placed) return r.address ?? ''
  return ''
}

export function tableHtml(s: ImportState, regionName: (code: string) => string): string {
  const r = s.report
  if (!r) return ''
  const rows = r.rows.map((x) => ({ raw: x, now: effectiveRow(x, s.placed) })).filter((x) => !s.filter || x.now.action === s.filter)
  const shown = rows.slice(0, TABLE_ROWS)
  const body = shown.map(({ raw, now }) => {
    const placed = raw.action === 'to_place' && now.action === 'create'
    const placeBtn = raw.action === 'to_place' ? `<button type="button" class="btn-plain im-place${s.placing === raw.row ? ' is-on' : ''}" data-place="${raw.row}" data-testid="place-${raw.row}">${esc(placed ? t('replace') : t('place'))}</button>` : ''
    return `<tr data-row="${raw.row}" class="${s.selected === raw.row ? 'is-selected' : ''}"><td class="num">${raw.row}</td>
      <td><span class="im-tag" style="--c:${ACTION_COLORS[now.action]}">${esc(placed ? t('placed') : t(`action.${now.action}`))}</span></td>
      <td>${esc(raw.name ?? '')}</td><td>${esc(raw.region_code ? regionName(raw.region_code) : '')}</td><td class="im-detail">${esc(detail(raw, placed))}</td><td>${placeBtn}</td></tr>`
  })
  const more = rows.length > shown.length ? `<p class="im-note">${esc(t('more', { shown: TABLE_ROWS, n: formatNumber(rows.length) }))}</p>` : ''
  return `<table data-testid="import-rows"><thead><tr><th>${esc(t('row'))}</th><th>${esc(t('action'))}</th><th>${esc(t('name'))}</th><th>${esc(t('region'))}</th><th>${esc(t('detail'))}</th><th></th></tr></thead><tbody>${body.join('')}</tbody></table>${more}`
}
