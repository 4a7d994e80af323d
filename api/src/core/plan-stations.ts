import type { Site } from './demand-item.ts'

/** What-if edits to a station network: proposed stations (ids of the planner's choosing), moves, removals. */
export interface NetworkEdits {
  added: { id: string; lon: number; lat: number; name?: string }[]
  moved: { id: string; lon: number; lat: number }[]
  removed: string[]
}

export const NO_EDITS: NetworkEdits = { added: [], moved: [], removed: [] }

export type ChangeKind = 'existing' | 'moved' | 'added' | 'removed'

/** A station of the plan with what the plan did to it; a moved one remembers where it stood. */
export type PlanStation<S extends Site = Site> = S & { change: ChangeKind; from?: [number, number] }

/**
 * The plan's stations: the network with moves and removals applied (removed ones stay, marked, so
 * a map can strike them out and an export can list them), then the proposed ones with
 * `proposedRadiusM`. Edits naming stations not in `network` are ignored (it may have changed since).
 * @example planStations(sites, { added: [{ id: 'new-1', lon: 116.3, lat: 35.1 }], moved: [], removed: [] }, 1500)
 */
export function planStations<S extends Site & { name?: string }>(network: readonly S[], edits: NetworkEdits, proposedRadiusM: number): PlanStation<S | (Site & { name: string })>[] {
  const moved = new Map(edits.moved.map((m) => [m.id, m]))
  const removed = new Set(edits.removed)
  const out: PlanStation<S | (Site & { name: string })>[] = network.map((s) => {
    if (removed.has(s.id)) return { ...s, change: 'removed' as const }
    const m = moved.get(s.id)
    return m ? { ...s, lon: m.lon, lat: m.lat, change: 'moved' as const, from: [s.lon, s.lat] as [number, number] } : { ...s, change: 'existing' as const }
  })
  for (const a of edits.added) {
    if (removed.has(a.id)) continue
    const m = moved.get(a.id)
    out.push({ id: a.id, lon: m?.lon ?? a.lon, lat: m?.lat ?? a.lat, radius_m: proposedRadiusM, name: a.name ?? a.id, change: 'added' })
  }
  return out
}

/** The sites that cover demand in a plan: every station but the removed ones. */
export function countingSites(stations: readonly PlanStation[]): Site[] {
  return stations.filter((s) => s.change !== 'removed').map(({ id, lon, lat, radius_m }) => ({ id, lon, lat, radius_m }))
}
