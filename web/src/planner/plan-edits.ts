/**
 * What-if edits to the station network, as plain data: proposed stations, moves and removals.
 * The same shape the API takes (`edits` of POST /api/siting, `changes` of POST /api/scenarios), so
 * what the planner sees in the browser is what the server recomputes.
 */
import type { Site } from '../../../api/src/core/demand-item.ts'

export interface AddedStation {
  /** chosen here ("new-1", "site-3"); never a database id */
  id: string
  lon: number
  lat: number
  name?: string
}
export interface MovedStation {
  id: string
  lon: number
  lat: number
}

export interface PlanChanges {
  added: AddedStation[]
  moved: MovedStation[]
  removed: string[]
}

export type ChangeKind = 'existing' | 'moved' | 'added' | 'removed'

/** An existing station as the plan needs it: where it is and how far it reaches. */
export interface BaseStation {
  id: string
  lon: number
  lat: number
  radius_m: number
  name: string
}

/** A station of the plan, with what the plan did to it. */
export interface PlanStation extends BaseStation {
  change: ChangeKind
  /** where a moved station stood before */
  from?: [number, number]
}

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

/**
 * The plan's stations: the existing ones with moves and removals applied, then the proposed ones
 * (with `radius_m` for proposals, as they have no kind default of their own here).
 * Removed stations stay in the list (change 'removed') so the map can show them struck out.
 */
export function applyChanges(base: readonly BaseStation[], c: PlanChanges, radius_m: number): PlanStation[] {
  const moved = new Map(c.moved.map((m) => [m.id, m]))
  const removed = new Set(c.removed)
  const out: PlanStation[] = base.map((s) => {
    if (removed.has(s.id)) return { ...s, change: 'removed' }
    const m = moved.get(s.id)
    return m ? { ...s, lon: m.lon, lat: m.lat, change: 'moved', from: [s.lon, s.lat] } : { ...s, change: 'existing' }
  })
  for (const a of c.added) out.push({ id: a.id, lon: a.lon, lat: a.lat, radius_m, name: a.name ?? a.id, change: 'added' })
  return out
}

/** The sites that cover demand: every plan station except the removed ones. */
export function countingSites(stations: readonly PlanStation[]): Site[] {
  return stations.filter((s) => s.change !== 'removed').map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m }))
}

/** Drops edits that refer to stations no longer in `base` (e.g. after the kind or region changed). */
export function pruneChanges(c: PlanChanges, baseIds: ReadonlySet<string>): PlanChanges {
  return { added: c.added, moved: c.moved.filter((m) => baseIds.has(m.id)), removed: c.removed.filter((r) => baseIds.has(r)) }
}
