import type { CoverageTotals } from '../core/demand-item.ts'
import type { ChangeKind, NetworkEdits } from '../core/plan-stations.ts'
import { fieldChanges } from '../core/field-changes.ts'
import type { TravelMode } from '../core/road-types.ts'
import type { Sql } from './connect.ts'
import { recordChange, type Actor } from './history.ts'

export interface PlanFeature {
  type: 'Feature'
  id: string
  geometry: { type: 'Point'; coordinates: [number, number] }
  properties: { id: string; name: string; kind: string; radius_m: number; change: ChangeKind }
}

export interface ScenarioRecord {
  id: string
  name: string
  note: string | null
  region_code: string
  kinds: string[] | null
  radius_m: number | null
  layer_id: string
  at: string | null
  resolution: number
  /** the coverage rule of `before` and `after`: straight-line, or travel time along the roads (then mode and minutes) */
  metric: 'straight' | 'network'
  mode: TravelMode | null
  minutes: number | null
  edits: NetworkEdits
  before: CoverageTotals
  after: CoverageTotals
  stations: { type: 'FeatureCollection'; features: PlanFeature[] }
  created_at: string
}

type Row = Omit<ScenarioRecord, 'at' | 'created_at'> & { at: Date | null; created_at: Date }

const toRecord = (r: Row): ScenarioRecord => ({ ...r, at: r.at?.toISOString() ?? null, created_at: r.created_at.toISOString() })

/** What history keeps of a scenario: everything but the exported station list (derived, and large). */
const historyFields = ({ stations: _, id: _id, created_at: _c, ...rest }: ScenarioRecord) => rest as Record<string, unknown>

/** Stores a scenario and its history record in one transaction (nothing half-written). */
export async function insertScenario(sql: Sql, s: Omit<ScenarioRecord, 'id' | 'created_at'>, actor: Actor): Promise<ScenarioRecord> {
  return sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`
      INSERT INTO scenario (name, note, region_code, kinds, radius_m, layer_id, at, resolution, metric, mode, minutes, edits, before, after, stations)
      VALUES (${s.name}, ${s.note}, ${s.region_code}, ${s.kinds}, ${s.radius_m}, ${s.layer_id}, ${s.at}, ${s.resolution}, ${s.metric}, ${s.mode}, ${s.minutes},
              ${tx.json(s.edits as never)}, ${tx.json(s.before as never)}, ${tx.json(s.after as never)}, ${tx.json(s.stations as never)})
      RETURNING *`
    const saved = toRecord(row!)
    await recordChange(tx, { entity: 'scenario', entityId: saved.id, action: 'create', actor, changes: fieldChanges(null, historyFields(saved)), snapshot: historyFields(saved) })
    return saved
  })
}

/** A scenario's region, for authorisation: undefined when there is no such scenario. */
export async function scenarioRegion(sql: Sql, id: string): Promise<string | undefined> {
  const [row] = await sql<{ region_code: string }[]>`SELECT region_code FROM scenario WHERE id = ${id}`
  return row?.region_code
}

export async function getScenario(sql: Sql, id: string): Promise<ScenarioRecord | null> {
  const [row] = await sql<Row[]>`SELECT * FROM scenario WHERE id = ${id}`
  return row ? toRecord(row) : null
}

/**
 * Newest first, without the stored station list (summaries for a picker), one page at a time:
 * `cursor` is the `next` of the page before (`<created_at in µs>_<id>`), keyset paging on (created_at, id).
 */
export async function listScenarios(sql: Sql, regionCodes?: string[], page: { limit?: number; cursor?: string } = {}) {
  const limit = page.limit ?? 500
  const [us, id] = page.cursor ? page.cursor.split('_') : [null, null]
  const rows = await sql<(Omit<Row, 'stations'> & { created_us: string })[]>`
    SELECT id, name, note, region_code, kinds, radius_m, layer_id, at, resolution, metric, mode, minutes, edits, before, after, created_at,
           (extract(epoch FROM created_at) * 1000000)::bigint::text AS created_us
      FROM scenario
     WHERE ${regionCodes ? sql`region_code = ANY(${regionCodes})` : sql`true`}
       ${us ? sql`AND ((extract(epoch FROM created_at) * 1000000)::bigint, id) < (${us}::bigint, ${id}::uuid)` : sql``}
     ORDER BY created_at DESC, id DESC
     LIMIT ${limit + 1}`
  const last = rows.length > limit ? rows[limit - 1]! : null
  return {
    items: rows.slice(0, limit).map(({ created_us: _us, ...r }) => ({ ...r, at: r.at?.toISOString() ?? null, created_at: r.created_at.toISOString() })),
    next: last ? `${last.created_us}_${last.id}` : undefined,
  }
}

/** Deletes a scenario, recording what it was in the same transaction; false when there is none. */
export async function deleteScenario(sql: Sql, id: string, actor: Actor): Promise<boolean> {
  return sql.begin(async (tx) => {
    const [row] = await tx<Row[]>`DELETE FROM scenario WHERE id = ${id} RETURNING *`
    if (!row) return false
    const gone = historyFields(toRecord(row))
    await recordChange(tx, { entity: 'scenario', entityId: id, action: 'delete', actor, changes: fieldChanges(gone, null), snapshot: gone })
    return true
  })
}
