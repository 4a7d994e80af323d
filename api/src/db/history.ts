import type { FieldChanges } from '../core/field-changes.ts'
import type { Db } from './connect.ts'

export type Entity = 'station' | 'demand_layer' | 'scenario' | 'report'
export type Action = 'baseline' | 'create' | 'update' | 'retire' | 'restore' | 'delete' | 'undo'

/** Who wrote: the account id (null for data loaded before accounts) and how history names them. */
export interface Actor {
  id: string | null
  label: string
}

export interface ChangeRecord {
  entity: Entity
  entityId: string
  version?: number | null
  action: Action
  actor: Actor
  changes: FieldChanges
  /** the whole entity after the write (stations: what restore copies) */
  snapshot?: Record<string, unknown> | null
  /** when it happened, if not now (a baseline dates from the entity's last update) */
  at?: Date
}

/** Records one write. Call it with the transaction of the write itself. */
export async function recordChange(tx: Db, r: ChangeRecord): Promise<void> {
  await tx`
    INSERT INTO change_log (entity, entity_id, version, action, actor_id, actor, changes, snapshot, at)
    VALUES (${r.entity}, ${r.entityId}, ${r.version ?? null}, ${r.action}, ${r.actor.id}, ${r.actor.label},
            ${tx.json(r.changes as never)}, ${r.snapshot ? tx.json(r.snapshot as never) : null}, ${r.at ?? new Date()})`
}

export interface HistoryItem {
  version: number | null
  at: string
  actor: string
  action: Action
  changes: FieldChanges
}

/** An entity's history, oldest first (bounded: the newest 1000 writes). */
export async function historyOf(sql: Db, entity: Entity, entityId: string): Promise<HistoryItem[]> {
  const rows = await sql<{ version: number | null; at: Date; actor: string; action: Action; changes: FieldChanges }[]>`
    SELECT * FROM (
      SELECT id, version, at, actor, action, changes FROM change_log
       WHERE entity = ${entity} AND entity_id = ${entityId} ORDER BY id DESC LIMIT 1000
    ) newest ORDER BY id`
  return rows.map((r) => ({ version: r.version, at: r.at.toISOString(), actor: r.actor, action: r.action, changes: r.changes }))
}

export async function hasHistory(tx: Db, entity: Entity, entityId: string): Promise<boolean> {
  const rows = await tx`SELECT 1 FROM change_log WHERE entity = ${entity} AND entity_id = ${entityId} LIMIT 1`
  return rows.length > 0
}

/** The snapshot recorded for one version of an entity, or null. */
export async function snapshotAt(sql: Db, entity: Entity, entityId: string, version: number): Promise<Record<string, unknown> | null> {
  const [row] = await sql<{ snapshot: Record<string, unknown> }[]>`
    SELECT snapshot FROM change_log
     WHERE entity = ${entity} AND entity_id = ${entityId} AND version = ${version} AND snapshot IS NOT NULL
     ORDER BY id DESC LIMIT 1`
  return row?.snapshot ?? null
}
