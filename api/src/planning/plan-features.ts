import type { Site } from '../core/demand-item.ts'
import { planStations, type NetworkEdits } from '../core/plan-stations.ts'
import type { PlanFeature } from '../db/scenarios.ts'

/**
 * The plan as GeoJSON features a planner can hand on: every station of the network marked existing,
 * moved (at its new position) or removed, then the proposed ones (of `kind`) marked added.
 */
export function planFeatures(network: readonly (Site & { name: string; kind: string })[], edits: NetworkEdits, kind: string, proposedRadiusM: number): PlanFeature[] {
  return planStations(network, edits, proposedRadiusM).map((s) => ({
    type: 'Feature',
    id: s.id,
    geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
    properties: { id: s.id, name: s.name ?? s.id, kind: 'kind' in s ? s.kind : kind, radius_m: s.radius_m, change: s.change },
  }))
}
