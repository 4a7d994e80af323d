/**
 * The edit sheet in the side panel (a bottom sheet on a phone): the station form, the conflict
 * message with the current values, and the history with its diffs. Pure HTML from state; the
 * controller (edit-mode.ts) binds its events once on the sheet's root.
 */
import { AMENITIES, KIND_INFO, STATION_KINDS, STATION_STATUSES } from '@core/station-kinds.ts'
import { cssColor, esc } from '../../dom.ts'
import { formatDateTime } from '../../format.ts'
import { amenityName, kindName } from '../../i18n/names.ts'
import type { StationFeature } from '../../types.ts'
import { formatValue, type DiffOptions, type HistoryEntry } from './history-diff.ts'
import { coord, stationFields, type FormField, type FormValues, type StationFields } from './station-form.ts'
import { te } from './strings.ts'

export interface FormView {
  kind: 'form'
  /** a new station: the county its point lies in */
  county?: string | null
  /** null: a new station */
  station: StationFeature | null
  values: FormValues
  errors: Partial<Record<FormField, string>>
  /** refusals not tied to one field */
  message: string | null
  busy: boolean
}

export interface ConflictView {
  kind: 'conflict'
  /** what the edit was based on */
  base: StationFeature
  /** the station as it is now (the 409's `current`) */
  current: StationFeature
  /** what this editor changed */
  mine: Partial<StationFields>
  busy: boolean
  message: string | null
}

export interface HistoryView {
  kind: 'history'
  station: StationFeature
  entries: HistoryEntry[] | null
  message: string | null
  busy: boolean
}

export type SheetView = FormView | ConflictView | HistoryView

const fieldMsg = (errors: FormView['errors'], f: FormField) =>
  errors[f] ? `<span class="field-error" role="alert" data-testid="edit-error-${f}">${esc(errors[f])}</span>` : ''

function head(title: string, sub: string, back = false): string {
  return `<header class="edit-head">
    ${back ? `<button type="button" class="edit-back" data-edit="back" aria-label="${esc(te('back'))}" data-testid="edit-back">‹</button>` : ''}
    <div class="edit-head-text"><h2>${esc(title)}</h2>${sub ? `<p>${sub}</p>` : ''}</div>
    <button type="button" class="account-x" data-edit="close" aria-label="${esc(te('close'))}" data-testid="edit-close">×</button>
  </header>`
}

const versionLine = (s: StationFeature) => esc(te('versionLine', { v: s.properties.version, at: formatDateTime(new Date(s.properties.updated_at)) }))

export function formHtml(v: FormView): string {
  const { values: x, errors: e } = v
  const input = (f: FormField, attrs = '', type = 'text') =>
    `<input type="${type}" name="${f}" value="${esc(x[f] as string)}" data-testid="edit-${f}"${e[f] ? ' aria-invalid="true"' : ''} ${attrs} />`
  const label = (f: FormField, body: string, extra = '', wide = false) =>
    `<label class="edit-field${wide ? ' wide' : ''}${e[f] ? ' has-error' : ''}" data-field="${f}"><span class="edit-label">${esc(te(`f.${f}`))}</span>${body}${extra}${fieldMsg(e, f)}</label>`
  const kindOptions = STATION_KINDS.map((k) => `<option value="${k}"${x.kind === k ? ' selected' : ''}>${esc(kindName(k))}</option>`).join('')
  const statusOptions = STATION_STATUSES.map((s) => `<option value="${s}"${x.status === s ? ' selected' : ''}>${esc(te(`status.${s}`))}</option>`).join('')
  const amenities = AMENITIES.map(
    (a) => `<label class="chip-check"><input type="checkbox" name="amenities" value="${a}"${x.amenities.includes(a) ? ' checked' : ''} /><span>${esc(amenityName(a))}</span></label>`,
  ).join('')
  const kindDefault = KIND_INFO[x.kind as keyof typeof KIND_INFO]?.radius_m ?? 1500
  const errorCount = Object.keys(e).length
  const s = v.station
  return `${head(s ? te('editTitle') : te('newTitle'), s ? `${esc(s.properties.name)} · ${versionLine(s)}` : esc(`${v.county ? `${v.county} · ` : ''}${Number(x.lon).toFixed(5)}, ${Number(x.lat).toFixed(5)}`))}
    <form class="edit-form" data-testid="edit-form" novalidate>
      ${label('kind', `<select name="kind" data-testid="edit-kind" style="--c:${cssColor(KIND_INFO[x.kind as keyof typeof KIND_INFO]?.color ?? [120, 120, 120])}">${kindOptions}</select>`, '', true)}
      ${label('name', input('name', 'maxlength="400" autocomplete="off" required'), '', true)}
      ${label('address', input('address', 'maxlength="600" autocomplete="off"'), '', true)}
      ${label('opening_hours', input('opening_hours', 'maxlength="600" autocomplete="off" spellcheck="false" placeholder="Mo-Su 08:00-20:00"'), `<span class="edit-hint">${esc(te('hoursHint'))}</span>`, true)}
      <fieldset class="edit-field wide" data-field="amenities"><legend class="edit-label">${esc(te('f.amenities'))}</legend><div class="chip-checks">${amenities}</div></fieldset>
      ${label('phone', input('phone', 'maxlength="60" autocomplete="off" inputmode="tel"', 'tel'))}
      ${label('operator', input('operator', 'maxlength="300" autocomplete="off"'))}
      ${label('capacity', input('capacity', 'inputmode="numeric" min="0" step="1"', 'number'))}
      ${label('status', `<select name="status" data-testid="edit-status">${statusOptions}</select>`)}
      ${label('radius_m', input('radius_m', `inputmode="numeric" min="1" max="50000" step="1" placeholder="${kindDefault}"`, 'number'), `<span class="edit-hint">${esc(te('radiusHint', { d: kindDefault }))}</span>`, true)}
      ${label('lon', input('lon', 'inputmode="decimal" step="any"', 'number'))}
      ${label('lat', input('lat', 'inputmode="decimal" step="any"', 'number'), `<span class="edit-hint">${esc(te('positionHint'))}</span>`)}
      ${errorCount ? `<p class="form-msg" role="alert" data-testid="edit-form-errors">${esc(te('formErrors', { n: errorCount }))}</p>` : ''}
      ${v.message ? `<p class="form-msg" role="alert" data-testid="edit-message">${esc(v.message)}</p>` : ''}
      <div class="edit-actions">
        ${s ? `<button type="button" class="btn-plain" data-edit="history" data-testid="edit-history">${esc(te('history'))}</button>` : ''}
        ${s && s.properties.status !== 'retired' ? `<button type="button" class="btn-plain danger" data-edit="retire" data-testid="edit-retire">${esc(te('retire'))}</button>` : ''}
        <span class="edit-gap"></span>
        <button type="button" class="btn-plain" data-edit="close">${esc(te('cancel'))}</button>
        <button type="submit" class="btn-strong" data-testid="edit-save"${v.busy ? ' disabled' : ''}>${esc(v.busy ? te('saving') : s ? te('save') : te('create'))}</button>
      </div>
    </form>`
}

/** A field's value in words, for the conflict table (position as coordinates). */
function fieldWords(field: string, f: Partial<StationFields>, opts: DiffOptions): string {
  if (field === 'position') return f.lon === undefined ? '' : `${coord(f.lon)}, ${coord(f.lat!)}`
  return formatValue(field, (f as Record<string, unknown>)[field], opts)
}

export function conflictHtml(v: ConflictView, opts: DiffOptions = {}): string {
  const base = stationFields(v.base)
  const now = stationFields(v.current)
  const words = (field: string, f: Partial<StationFields>) => fieldWords(field, f, opts)
  const fields = ['name', 'kind', 'status', 'position', 'address', 'opening_hours', 'amenities', 'phone', 'operator', 'capacity', 'radius_m']
  const mineSet = new Set(Object.keys(v.mine).map((k) => (k === 'lon' || k === 'lat' ? 'position' : k)))
  const theirs = fields.filter((f) => words(f, base) !== words(f, now))
  const shown = fields.filter((f) => mineSet.has(f) || theirs.includes(f))
  const rows = shown
    .map(
      (f) => `<tr data-field="${f}"${mineSet.has(f) && theirs.includes(f) ? ' class="both"' : ''}>
        <th>${esc(te(`f.${f}` as never))}</th>
        <td class="now">${esc(words(f, now))}${theirs.includes(f) ? ` <span class="was">${esc(te('conflictWas'))} <s>${esc(words(f, base))}</s></span>` : ''}</td>
        <td class="mine">${mineSet.has(f) ? esc(words(f, v.mine)) : '<span class="muted">—</span>'}</td>
      </tr>`,
    )
    .join('')
  return `${head(te('conflictTitle'), esc(v.current.properties.name))}
    <div class="edit-conflict" role="alert" data-testid="edit-conflict">
      <p>${esc(te('conflictBody', { mine: v.base.properties.version, now: v.current.properties.version, at: formatDateTime(new Date(v.current.properties.updated_at)) }))}</p>
      <table class="conflict-table" data-testid="conflict-table">
        <thead><tr><th></th><th>${esc(te('conflictNow'))}</th><th>${esc(te('conflictMine'))}</th></tr></thead>
        <tbody>${rows}</tbody>
      </table>
      ${theirs.some((f) => mineSet.has(f)) ? '' : `<p class="muted-note">${esc(te('conflictNone'))}</p>`}
      ${v.message ? `<p class="form-msg" role="alert">${esc(v.message)}</p>` : ''}
      <div class="edit-actions">
        <button type="button" class="btn-plain" data-edit="discard" data-testid="conflict-discard">${esc(te('conflictDiscard'))}</button>
        <span class="edit-gap"></span>
        <button type="button" class="btn-strong" data-edit="redo" data-testid="conflict-redo"${v.busy ? ' disabled' : ''}>${esc(v.busy ? te('saving') : te('conflictRedo'))}</button>
      </div>
    </div>`
}

export function historyHtml(v: HistoryView): string {
  const s = v.station
  const list =
    v.entries === null
      ? `<p class="muted-note">${esc(te('historyLoading'))}</p>`
      : !v.entries.length
        ? `<p class="muted-note">${esc(te('historyEmpty'))}</p>`
        : `<ol class="history-list" data-testid="history-list">${v.entries
            .map(
              (e) => `<li class="history-item${e.current ? ' current' : ''}" data-version="${e.version ?? ''}" data-testid="history-v${e.version ?? 'x'}">
          <div class="history-head">
            <span class="history-version">${esc(te('versionN', { v: e.version ?? '—' }))}</span>
            <span class="history-action action-${esc(e.action)}">${esc(e.actionLabel)}</span>
            ${e.current ? `<span class="history-current">${esc(te('historyCurrent'))}</span>` : ''}
          </div>
          <div class="history-by">${esc(te('by', { actor: e.actor, at: formatDateTime(new Date(e.at)) }))}</div>
          <table class="diff-table">${e.rows
            .map(
              (r) => `<tr data-field="${esc(r.field)}"><th>${esc(r.label)}</th><td>${r.before ? `<span class="diff-before">${esc(r.before)}</span><span class="diff-arrow" aria-hidden="true">→</span>` : ''}<span class="diff-after">${esc(r.after)}</span></td></tr>`,
            )
            .join('')}</table>
          ${e.restorable ? `<button type="button" class="btn-plain btn-restore" data-edit="restore" data-version="${e.version}" data-testid="restore-v${e.version}"${v.busy ? ' disabled' : ''}>${esc(te('restore'))}</button>` : ''}
        </li>`,
            )
            .join('')}</ol>`
  return `${head(te('historyTitle', { name: s.properties.name }), versionLine(s), true)}
    ${v.message ? `<p class="form-msg edit-pad" role="alert" data-testid="history-message">${esc(v.message)}</p>` : ''}
    ${list}`
}

export function sheetHtml(v: SheetView, opts: DiffOptions = {}): string {
  return v.kind === 'form' ? formHtml(v) : v.kind === 'conflict' ? conflictHtml(v, opts) : historyHtml(v)
}
