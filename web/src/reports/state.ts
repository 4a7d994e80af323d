/**
 * The editors' list as plain data: the filters, which reports they keep, the page of rows on
 * screen and the selected report. Pure (no DOM, no fetch), so the filtering and paging are unit-tested.
 *
 * `region` and `status` are asked of the API (GET /api/reports filters by them); `kind` and
 * `problem` are applied here, on what it answered.
 */
import { REPORT_PROBLEMS, REPORT_STATUSES, type ReportProblem, type ReportStatus } from '@core/report-problems.ts'
import { STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import type { Lang } from '../i18n/lang.ts'
import type { ReportRow } from './paging.ts'

export interface ReportFilters {
  /** a county, or a city (with its counties); '' = all */
  region: string
  kind: StationKind | ''
  problem: ReportProblem | ''
  status: ReportStatus | ''
}

export const DEFAULT_FILTERS: ReportFilters = { region: '', kind: '', problem: '', status: 'open' }

/** rows per page of the table: fits a 1366×768 screen with the filters and the pager */
export const PAGE_SIZE = 14

export interface ReportsState {
  lang: Lang
  filters: ReportFilters
  /** what the API answered for `filters.region` / `filters.status` (null: not loaded yet) */
  rows: ReportRow[] | null
  /** the API had more reports than the page loaded */
  truncated: boolean
  loading: boolean
  /** 0-based page of the filtered list */
  page: number
  /** the report highlighted in the table and on the map */
  selected: string | null
  /** what failed, in words (null: nothing) */
  message: string | null
}

export function initialState(lang: Lang): ReportsState {
  return { lang, filters: DEFAULT_FILTERS, rows: null, truncated: false, loading: true, page: 0, selected: null, message: null }
}

/** The rows the filters keep (the API has applied region and status already; applied again, so a stale answer never shows). */
export function filterRows(rows: readonly ReportRow[], f: ReportFilters): ReportRow[] {
  return rows.filter(
    (r) =>
      (!f.kind || r.station_kind === f.kind) &&
      (!f.problem || r.problem === f.problem) &&
      (!f.status || r.status === f.status) &&
      (!f.region || r.county_code === f.region || r.place_code === f.region),
  )
}

export function pageCount(n: number, size = PAGE_SIZE): number {
  return Math.max(1, Math.ceil(n / size))
}

/** The rows of page `page` (clamped to the last page) and which page that is. */
export function pageOf<T>(rows: readonly T[], page: number, size = PAGE_SIZE): { rows: T[]; page: number } {
  const p = Math.min(Math.max(0, page), pageCount(rows.length, size) - 1)
  return { rows: rows.slice(p * size, p * size + size), page: p }
}

/** The page that shows report `id` in the filtered list (for a click on the map), or null. */
export function pageWith(rows: readonly ReportRow[], id: string, size = PAGE_SIZE): number | null {
  const i = rows.findIndex((r) => r.id === id)
  return i < 0 ? null : Math.floor(i / size)
}

/** True when the API must be asked again: region or status changed. */
export function needsReload(a: ReportFilters, b: ReportFilters): boolean {
  return a.region !== b.region || a.status !== b.status
}

const oneOf = <T extends string>(all: readonly T[], v: string): T | '' => ((all as readonly string[]).includes(v) ? (v as T) : '')

/** The filter form's values (any string) as filters: an unknown kind, problem or status means "all". */
export function parseFilters(get: (name: keyof ReportFilters) => string): ReportFilters {
  const region = get('region')
  return {
    region: /^\d{6}$/.test(region) ? region : '',
    kind: oneOf(STATION_KINDS, get('kind')),
    problem: oneOf(REPORT_PROBLEMS, get('problem')),
    status: oneOf(REPORT_STATUSES, get('status')),
  }
}
