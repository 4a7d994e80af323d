/**
 * What-if edits to the station network, as plain data: proposed stations, moves and removals.
 * The same shape the API takes (`edits` of POST /api/siting and POST /api/scenarios), so
 * what the planner sees in the browser is what the server recomputes.
 */
import type { Site } from '@core/demand-item.ts'
import type { NetworkEdits, PlanStation as CorePlanStation } from '@core/plan-stations.ts'

export { countingSites, planStations } from '@core/plan-stations.ts'
export type { ChangeKind } from '@core/plan-stations.ts'

export type PlanChanges = NetworkEdits

/** An existing station as the plan needs it: where it is, how far it reaches, its name. */
export type BaseStation = Site & { name: string }

/** A station of the plan, with what the plan did to it. */
export type PlanStation = CorePlanStation<BaseStation>

export function noChanges(): PlanChanges {
  return { added: [], moved: [], removed: [] }
}

export function changeCount(c: PlanChanges): number {
  return c.added.length + c.moved.length + c.removed.length
}

/** A proposed station at lon/lat; ids continue from the highest "new-N" already used. */
export function addStation(c: PlanChanges, lon: number, lat: number, name?: string, prefix = 'new'): PlanChanges {
  const used = c.added.map((a) => Number(new RegExp(`^${prefix}-(\\d+)$`).exec(a.id)?.[1] ?? 0))
  const id = `${prefix}-${Math.max(0, ...used) + 1}`
  return { ...c, added: [...c.added, { id, lon, lat, ...(name ? { name } : {}) }] }
}

/** Moves a station: a proposed one just changes place; an existing one gets (or updates) a move. */
export function moveStation(c: PlanChanges, id: string, lon: number, lat: number): PlanChanges {
  if (c.added.some((a) => a.id === id)) return { ...c, added: c.added.map((a) => (a.id === id ? { ...a, lon, lat } : a)) }
  const moved = c.moved.filter((m) => m.id !== id)
  return { ...c, moved: [...moved, { id, lon, lat }] }
}

/** Removes a proposed station outright, or marks an existing one removed (its move is dropped). */
export function removeStation(c: PlanChanges, id: string): PlanChanges {
  if (c.added.some((a) => a.id === id)) return { ...c, added: c.added.filter((a) => a.id !== id) }
  if (c.removed.includes(id)) return c
  return { ...c, moved: c.moved.filter((m) => m.id !== id), removed: [...c.removed, id] }
}

/** Undoes a removal. */
export function restoreStation(c: PlanChanges, id: string): PlanChanges {
  return { ...c, removed: c.removed.filter((r) => r !== id) }
}

/** Drops edits that refer to stations no longer in `base` (e.g. after the kind or region changed). */
export function pruneChanges(c: PlanChanges, baseIds: ReadonlySet<string>): PlanChanges {
  return { added: c.added, moved: c.moved.filter((m) => baseIds.has(m.id)), removed: c.removed.filter((r) => baseIds.has(r)) }
}
