/**
 * Where the editors' list gets its reports: the only module of this page that knows how
 * GET /api/reports pages and how a report is resolved. Kept apart on purpose: the API is moving
 * to cursor paging (`next_cursor`) and to sign-in for resolving; only this file changes with it.
 *
 * Today's API has no cursor: `mainApiPage` asks for its largest page (`limit` = 1000) and says when
 * that page was full; once the response carries `next_cursor`, `loadAllPages` (paging.ts) follows it
 * (sending it back as the `cursor` query parameter is the one line to add here then).
 */
import { fetchReports, patchReport, type ReportListQuery } from '../api.ts'
import type { ReportStatus } from '@core/report-problems.ts'
import { loadAllPages, type PageFetcher, type ReportRow } from './paging.ts'

export type { ReportRow }

/** The largest page today's GET /api/reports gives (api/src/schemas/report.ts). */
export const MAIN_API_LIMIT = 1000

/** main's GET /api/reports: one page of up to 1000, newest first; `next_cursor` once the API sends one. */
export const mainApiPage: PageFetcher = async (query) => {
  const fc = await fetchReports({ ...query, limit: MAIN_API_LIMIT })
  const cursor = 'next_cursor' in fc && typeof fc.next_cursor === 'string' ? fc.next_cursor : null
  return { features: fc.features, next_cursor: cursor, full: !cursor && fc.features.length >= MAIN_API_LIMIT }
}

/** Every report for `query` (region, status), newest first. */
export function loadReports(query: ReportListQuery, placeOf: (code: string | null) => string | null): Promise<{ rows: ReportRow[]; truncated: boolean }> {
  return loadAllPages(query, placeOf, { fetchPage: mainApiPage })
}

/** Marks a report resolved or open again (the API will ask for a signed-in editor; this page has no sign-in yet). */
export function setReportStatus(id: string, status: ReportStatus): Promise<void> {
  return patchReport(id, { status })
}
