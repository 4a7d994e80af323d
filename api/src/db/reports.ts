import type { ReportProblem, ReportStatus } from '../schemas/report.ts'
import type { Sql } from './connect.ts'

interface ReportRow {
  id: string
  station_id: string
  station_name: string
  station_kind: string
  region_code: string | null
  problem: ReportProblem
  note: string
  status: ReportStatus
  created_at: Date
  resolved_at: Date | null
  geometry: { type: 'Point'; coordinates: [number, number] } | null
}

function toFeature(row: ReportRow) {
  const { geometry, created_at, resolved_at, ...rest } = row
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry,
    properties: { ...rest, created_at: created_at.toISOString(), resolved_at: resolved_at?.toISOString() ?? null },
  }
}

export interface NewReport {
  stationId: string
  problem: ReportProblem
  note: string
  lon?: number
  lat?: number
  clientKey: string
}

/** Stores a report; null when the station does not exist (the caller answers 404). */
export async function insertReport(sql: Sql, r: NewReport) {
  const point = r.lon === undefined || r.lat === undefined ? null : ([r.lon, r.lat] as const)
  const rows = await sql<ReportRow[]>`
    WITH ins AS (
      INSERT INTO station_report (station_id, problem, note, geom, client_key)
      SELECT s.id, ${r.problem}, ${r.note},
             ${point ? sql`ST_SetSRID(ST_MakePoint(${point[0]}, ${point[1]}), 4326)` : sql`NULL`},
             ${r.clientKey}
        FROM station s WHERE s.id = ${r.stationId}
      RETURNING *
    )
    SELECT ${columns(sql)} FROM ins r JOIN station s ON s.id = r.station_id`
  return rows[0] ? toFeature(rows[0]) : null
}

export interface ReportFilter {
  /** station region codes (a city expanded to its counties by the caller) */
  regionCodes?: string[]
  status?: ReportStatus
  limit: number
}

/** Reports, newest first. */
export async function listReports(sql: Sql, f: ReportFilter) {
  const rows = await sql<ReportRow[]>`
    SELECT ${columns(sql)}
      FROM station_report r JOIN station s ON s.id = r.station_id
     WHERE true
       ${f.regionCodes ? sql`AND s.region_code = ANY(${f.regionCodes})` : sql``}
       ${f.status ? sql`AND r.status = ${f.status}` : sql``}
     ORDER BY r.created_at DESC, r.id
     LIMIT ${f.limit}`
  return rows.map(toFeature)
}

/** Sets a report's status; null when the report does not exist. */
export async function setReportStatus(sql: Sql, id: string, status: ReportStatus) {
  const rows = await sql<ReportRow[]>`
    WITH upd AS (
      UPDATE station_report
         SET status = ${status}, resolved_at = CASE WHEN ${status} = 'resolved' THEN coalesce(resolved_at, now()) ELSE NULL END
       WHERE id = ${id}
      RETURNING *
    )
    SELECT ${columns(sql)} FROM upd r JOIN station s ON s.id = r.station_id`
  return rows[0] ? toFeature(rows[0]) : null
}

function columns(sql: Sql) {
  return sql`r.id, r.station_id, s.name AS station_name, s.kind AS station_kind, s.region_code, r.problem, r.note,
             r.status, r.created_at, r.resolved_at,
             CASE WHEN r.geom IS NULL THEN NULL ELSE ST_AsGeoJSON(r.geom, 7)::json END AS geometry`
}
