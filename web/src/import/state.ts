/**
 * The import page's state and the pure rules over it: what the dry run says once the editor has
 * placed rows on the map, and whether the import may be applied.
 */
import type { ImportProgress, ImportReport, ImportReportRow } from '../api.ts'
import type { Lang } from '../i18n/lang.ts'
import type { t } from './strings.ts'

type MessageKey = Parameters<typeof t>[0]

export type Crs = 'wgs84' | 'gcj02' | 'bd09'
export type Encoding = 'auto' | 'utf-8' | 'gb18030'
export type RowAction = ImportReportRow['action']
export const ACTIONS: readonly RowAction[] = ['create', 'update', 'unchanged', 'reject', 'to_place']

export interface ImportState {
  lang: Lang
  file: File | null
  crs: Crs
  encoding: Encoding
  sheet: string | null
  onInvalid: 'reject' | 'skip'
  /** the editor's changes to the detected mapping (column → field or null) */
  mapping: Record<string, string | null>
  report: ImportReport | null
  /** WGS-84 points the editor placed "to place" rows at, by row number */
  placed: Record<string, [number, number]>
  /** the row being placed (waiting for a click on the map) */
  placing: number | null
  selected: number | null
  filter: RowAction | null
  /** a request under way, and (dry run, apply) the last progress it reported */
  busy: { what: 'dry' | 'apply' | 'undo'; since: number; progress?: ImportProgress } | null
  /** a line of ./strings.ts with its values, so it follows the language */
  message: { key: MessageKey; vars?: Record<string, string | number>; ok: boolean } | null
  /** the applied import, for undo */
  applied: { id: string; created: number; updated: number } | null
}

export function initialState(lang: Lang): ImportState {
  return { lang, file: null, crs: 'wgs84', encoding: 'auto', sheet: null, onInvalid: 'reject', mapping: {}, report: null, placed: {}, placing: null, selected: null, filter: null, busy: null, message: null, applied: null }
}

/** A row as it stands now: a "to place" row the editor placed counts as new, at the placed point. */
export function effectiveRow(r: ImportReportRow, placed: ImportState['placed']): ImportReportRow {
  const p = placed[String(r.row)]
  return r.action === 'to_place' && p ? { ...r, action: 'create', lon: p[0], lat: p[1] } : r
}

export function countsOf(report: ImportReport, placed: ImportState['placed']): Record<RowAction, number> {
  const n: Record<RowAction, number> = { create: 0, update: 0, unchanged: 0, reject: 0, to_place: 0 }
  for (const r of report.rows) n[effectiveRow(r, placed).action]++
  return n
}

/** How many rows an apply would write, or null when it may not be applied yet (and why). */
export function applyPlan(report: ImportReport | null, placed: ImportState['placed'], onInvalid: 'reject' | 'skip'): { rows: number } | { blocked: 'no-report' | 'to-place' | 'rejected' | 'nothing' } {
  if (!report) return { blocked: 'no-report' }
  const n = countsOf(report, placed)
  if (onInvalid === 'reject' && n.to_place) return { blocked: 'to-place' }
  if (onInvalid === 'reject' && n.reject) return { blocked: 'rejected' }
  if (n.create + n.update === 0) return { blocked: 'nothing' }
  return { rows: n.create + n.update }
}

/** The placed points of rows that are still "to place" in the report (what the apply request carries). */
export function placedForApply(report: ImportReport, placed: ImportState['placed']): Record<string, [number, number]> {
  return Object.fromEntries(report.rows.filter((r) => r.action === 'to_place' && placed[String(r.row)]).map((r) => [String(r.row), placed[String(r.row)]!]))
}
