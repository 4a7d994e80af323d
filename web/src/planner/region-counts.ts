/**
 * The planner's station counts — by kind, by programme place, in all, and whether any is demo data —
 * from the maintained per-region counts of GET /api/regions/summary (migration 016), not from
 * downloaded stations. Each region counts only the stations coded to it, so the sums count each once.
 */
import { STATION_KINDS } from '@core/station-kinds.ts'
import { placeLookup } from '../places.ts'
import type { RegionSummary } from '../types.ts'
import { emptyCounts, type KindCounts } from './panel.ts'

export interface StationCounts {
  byKind: KindCounts
  byPlace: Map<string, KindCounts>
  total: number
  hasDemo: boolean
}

export function regionCounts(summary: RegionSummary): StationCounts {
  const byKind = emptyCounts()
  const byPlace = new Map<string, KindCounts>()
  const placeOf = placeLookup(summary)
  let total = 0
  let hasDemo = false
  for (const f of summary.features) {
    const own = f.properties.own_station_counts
    const place = placeOf(f.properties.code)
    if (place && !byPlace.has(place)) byPlace.set(place, emptyCounts())
    for (const k of STATION_KINDS) {
      const n = own[k] ?? 0
      byKind[k] += n
      total += n
      if (place) byPlace.get(place)![k] += n
    }
    if (f.properties.own_demo_count > 0) hasDemo = true
  }
  return { byKind, byPlace, total, hasDemo }
}
