/**
 * Paging through the reports, whatever the API's paging: `loadAllPages` follows `next_cursor`
 * until the last page (at most `maxRows`) through a `PageFetcher` (source.ts has main's), and
 * flattens each report into the row the list shows. Pure apart from the fetcher, so unit-tested.
 */
import type { ReportProblem, ReportStatus } from '@core/report-problems.ts'
import { STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import type { ReportCollection, ReportListQuery } from '../api.ts'

/** One report as the list shows it: flat, with its county and place resolved. */
export interface ReportRow {
  id: string
  station_id: string
  station_name: string
  station_kind: StationKind | null
  problem: ReportProblem
  note: string
  status: ReportStatus
  created_at: string
  resolved_at: string | null
  /** the station's county (region_code), and the programme place it belongs to */
  county_code: string | null
  place_code: string | null
  /** where the rider stood when reporting, if they shared it */
  position: [number, number] | null
}

export interface Page {
  features: ReportCollection['features']
  next_cursor: string | null
  /** this page was cut by the API's size limit and the API cannot say what follows */
  full: boolean
}

export type PageFetcher = (query: ReportListQuery, cursor: string | null) => Promise<Page>

const KINDS = new Set<string>(STATION_KINDS)

export function toRow(f: ReportCollection['features'][number], placeOf: (code: string | null) => string | null): ReportRow {
  const p = f.properties
  const c = f.geometry?.coordinates
  return {
    id: f.id,
    station_id: p.station_id,
    station_name: p.station_name,
    station_kind: KINDS.has(p.station_kind) ? (p.station_kind as StationKind) : null,
    problem: p.problem,
    note: p.note,
    status: p.status,
    created_at: p.created_at,
    resolved_at: p.resolved_at,
    county_code: p.region_code,
    place_code: placeOf(p.region_code),
    position: c && c.length >= 2 ? [c[0]!, c[1]!] : null,
  }
}

/** Every page of reports for `query`, newest first, at most `maxRows`; `truncated` when more exist. */
export async function loadAllPages(
  query: ReportListQuery,
  placeOf: (code: string | null) => string | null,
  { fetchPage, maxRows = 10_000 }: { fetchPage: PageFetcher; maxRows?: number },
): Promise<{ rows: ReportRow[]; truncated: boolean }> {
  const rows: ReportRow[] = []
  let cursor: string | null = null
  for (;;) {
    const page = await fetchPage(query, cursor)
    for (const f of page.features) rows.push(toRow(f, placeOf))
    if (rows.length >= maxRows) return { rows: rows.slice(0, maxRows), truncated: rows.length > maxRows || !!page.next_cursor || page.full }
    if (!page.next_cursor) return { rows, truncated: page.full }
    cursor = page.next_cursor
  }
}

