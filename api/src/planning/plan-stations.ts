import type { NetworkEdits } from '../core/apply-edits.ts'
import type { Site } from '../core/demand-item.ts'
import type { PlanStation } from '../db/scenarios.ts'

/**
 * The plan as a list a planner can hand on: every station of the network marked existing, moved
 * (at its new position) or removed, then the proposed ones marked added.
 */
export function planStations(network: readonly (Site & { name: string; kind: string })[], edits: NetworkEdits, kind: string, defaultRadiusM: number): PlanStation[] {
  const removed = new Set(edits.removed)
  const moved = new Map(edits.moved.map((m) => [m.id, m]))
  const feature = (id: string, name: string, k: string, lon: number, lat: number, radius_m: number, change: PlanStation['properties']['change']): PlanStation => ({
    type: 'Feature',
    id,
    geometry: { type: 'Point', coordinates: [lon, lat] },
    properties: { id, name, kind: k, radius_m, change },
  })
  const out = network.map((s) => {
    const m = moved.get(s.id)
    const change = removed.has(s.id) ? 'removed' : m ? 'moved' : 'existing'
    return feature(s.id, s.name, s.kind, m?.lon ?? s.lon, m?.lat ?? s.lat, s.radius_m, change)
  })
  edits.added.forEach((a, i) => {
    if (removed.has(a.id)) return
    const m = moved.get(a.id)
    out.push(feature(a.id, a.name ?? `新站点 ${i + 1}`, kind, m?.lon ?? a.lon, m?.lat ?? a.lat, defaultRadiusM, 'added'))
  })
  return out
}
