import type { ReportProblem, ReportStatus } from '../schemas/report.ts'
import { fieldChanges } from '../core/field-changes.ts'
import type { Db, Sql } from './connect.ts'
import { recordChange, type Actor } from './history.ts'
import { takeHit, type RateLimitResult } from './rate-limit.ts'

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
  /** created_at to the microsecond, as text (the paging cursor; JS Dates keep only milliseconds) */
  cursor_at: string
}

function toFeature(row: ReportRow) {
  const { geometry, created_at, resolved_at, cursor_at: _, ...rest } = row
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

export type ReportFeature = ReturnType<typeof toFeature>

/** The report limit: at most `max` per client key in `windowMs`. */
export interface ReportQuota {
  max: number
  windowMs: number
}

const ANONYMOUS: Actor = { id: null, label: 'anonymous reporter' }

/**
 * Stores a report if the client's quota allows, in one transaction with the quota hit and the
 * history record: an unknown station rolls the hit back (a 404 uses up nothing).
 * `limited` when over quota; `report` null when the station does not exist.
 */
export async function insertReport(sql: Sql, r: NewReport, quota: ReportQuota): Promise<{ limited: RateLimitResult | null; report: ReportFeature | null }> {
  try {
    return await sql.begin(async (tx) => {
      const hit = await takeHit(tx, 'report', r.clientKey, quota.max, quota.windowMs)
      if (!hit.ok) return { limited: hit, report: null }
      const report = await insertReportRow(tx, r)
      if (!report) throw new NoSuchStation()
      const { problem, note, status, station_id } = report.properties
      await recordChange(tx, { entity: 'report', entityId: report.id, action: 'create', actor: ANONYMOUS, changes: fieldChanges(null, { station_id, problem, note, status }) })
      return { limited: null, report }
    })
  } catch (err) {
    if (err instanceof NoSuchStation) return { limited: null, report: null }
    throw err
  }
}

class NoSuchStation extends Error {}

async function insertReportRow(sql: Db, r: NewReport) {
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
  /** only reports older than this one (keyset paging, newest first) */
  after?: { at: string; id: string }
}

/** Reports, newest first, one page; `next` is the key of the last one when another page exists. */
export async function listReports(sql: Sql, f: ReportFilter) {
  const rows = await sql<ReportRow[]>`
    SELECT ${columns(sql)}
      FROM station_report r JOIN station s ON s.id = r.station_id
     WHERE true
       ${f.regionCodes ? sql`AND s.region_code = ANY(${f.regionCodes})` : sql``}
       ${f.status ? sql`AND r.status = ${f.status}` : sql``}
       -- row comparison in the ORDER BY's direction: stable under inserts, no OFFSET scans
       ${f.after ? sql`AND (r.created_at, r.id) < (${f.after.at}::timestamp AT TIME ZONE 'UTC', ${f.after.id}::uuid)` : sql``}
     ORDER BY r.created_at DESC, r.id DESC
     LIMIT ${f.limit + 1}`
  const page = rows.slice(0, f.limit)
  const last = page.at(-1)
  return { features: page.map(toFeature), next: rows.length > f.limit && last ? { at: last.cursor_at, id: last.id } : null }
}

/** A report's station region, for authorisation: undefined when there is no such report. */
export async function reportRegion(sql: Db, id: string): Promise<string | null | undefined> {
  const [row] = await sql<{ region_code: string | null }[]>`
    SELECT s.region_code FROM station_report r JOIN station s ON s.id = r.station_id WHERE r.id = ${id}`
  return row ? row.region_code : undefined
}

/** Sets a report's status with its history record, in one transaction; null when the report does not exist. */
export async function setReportStatus(sql: Sql, id: string, status: ReportStatus, actor: Actor) {
  return sql.begin(async (tx) => {
    const [before] = await tx<{ status: ReportStatus; resolved_at: Date | null }[]>`SELECT status, resolved_at FROM station_report WHERE id = ${id} FOR UPDATE`
    if (!before) return null
    const rows = await tx<ReportRow[]>`
      WITH upd AS (
        UPDATE station_report
           SET status = ${status}, resolved_at = CASE WHEN ${status} = 'resolved' THEN coalesce(resolved_at, now()) ELSE NULL END
         WHERE id = ${id}
        RETURNING *
      )
      SELECT ${columns(tx)} FROM upd r JOIN station s ON s.id = r.station_id`
    const report = toFeature(rows[0]!)
    const changes = fieldChanges(
      { status: before.status, resolved_at: before.resolved_at?.toISOString() ?? null },
      { status: report.properties.status, resolved_at: report.properties.resolved_at },
    )
    if (Object.keys(changes).length) await recordChange(tx, { entity: 'report', entityId: id, action: 'update', actor, changes })
    return report
  })
}

function columns(sql: Db) {
  return sql`r.id, r.station_id, s.name AS station_name, s.kind AS station_kind, s.region_code, r.problem, r.note,
             r.status, r.created_at, r.resolved_at,
             to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') AS cursor_at,
             CASE WHEN r.geom IS NULL THEN NULL ELSE ST_AsGeoJSON(r.geom, 7)::json END AS geometry`
}
