/**
 * Where the editors' list gets its reports: the only module of this page that knows how
 * GET /api/reports pages (`next_cursor`, sent back as `cursor`) and how a report is resolved
 * (an editor of the region, signed in).
 */
import { fetchReports, patchReport, type ReportListQuery } from '../api.ts'
import type { ReportStatus } from '@core/report-problems.ts'
import { loadAllPages, type PageFetcher, type ReportRow } from './paging.ts'

export type { ReportRow }

/** The largest page GET /api/reports gives (api/src/schemas/report.ts). */
export const MAIN_API_LIMIT = 1000

/** One page of GET /api/reports (up to 1000, newest first) and the cursor of the next one. */
export const mainApiPage: PageFetcher = async (query, cursor) => {
  const fc = await fetchReports({ ...query, limit: String(MAIN_API_LIMIT), ...(cursor ? { cursor } : {}) })
  const next = fc.next_cursor ?? null
  return { features: fc.features, next_cursor: next, full: false }
}

/** Every report for `query` (region, status), newest first. */
export function loadReports(query: ReportListQuery, placeOf: (code: string | null) => string | null): Promise<{ rows: ReportRow[]; truncated: boolean }> {
  return loadAllPages(query, placeOf, { fetchPage: mainApiPage })
}

/** Marks a report resolved or open again (the API asks for a signed-in editor of the report's region). */
export function setReportStatus(id: string, status: ReportStatus): Promise<void> {
  return patchReport(id, { status })
}
