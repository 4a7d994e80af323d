/**
 * Which existing stations a plan starts from — the same rule as the API's coverage
 * (api/src/db/coverage-sites.ts): active stations of the chosen kinds; with a time of day, only
 * those open then (unknown hours are left out, not assumed open); radius = the one the planner set,
 * else each station's own, else its kind's default.
 */
import { coverageRadius, type StationKind } from '@core/station-kinds.ts'
import type { StationLite } from '../types.ts'
import type { BaseStation } from './plan-edits.ts'

export interface PlanBaseOptions {
  /** null: every kind */
  kinds: readonly StationKind[] | null
  /** one radius for all, metres */
  radius_m?: number | null
  /** open-at test for the chosen time (true/false/null = unknown); absent: no time chosen */
  isOpen?: (openingHours: string | null) => boolean | null
  /** which stations the closed/unknown tallies count (the region's own); default: all */
  tally?: (regionCode: string | null) => boolean
}

export interface PlanBase {
  stations: (BaseStation & { kind: StationKind })[]
  /** left out: closed at the chosen time (of the tallied stations) */
  closed: number
  /** left out: hours missing or unreadable (only with a time) */
  unknownHours: number
}

export function planBase(all: readonly StationLite[], o: PlanBaseOptions): PlanBase {
  const out: PlanBase = { stations: [], closed: 0, unknownHours: 0 }
  for (const f of all) {
    const p = f.properties
    if (p.status !== 'active' || (o.kinds && !o.kinds.includes(p.kind))) continue
    if (o.isOpen) {
      const open = o.isOpen(p.opening_hours)
      if (open !== true) {
        if (!o.tally || o.tally(p.region_code)) out[open === null ? 'unknownHours' : 'closed']++
        continue
      }
    }
    const [lon, lat] = f.geometry.coordinates as [number, number]
    out.stations.push({ id: p.id, kind: p.kind, name: p.name, lon, lat, radius_m: o.radius_m ?? coverageRadius(p.kind, p.radius_m) })
  }
  return out
}

/** id → county of each station array, built once per array (stations() returns the same array until a region loads). */
const regionOfId = new WeakMap<readonly StationLite[], Map<string, string | null>>()

/**
 * How many of the plan's base stations are coded to one of `codes` (the figures' "existing"
 * count), by one id lookup each: a find over every station per station was quadratic, 10^10
 * comparisons for a province's 10^5 stations on every recompute.
 */
export function countInRegions(base: readonly { id: string }[], all: readonly StationLite[], codes: ReadonlySet<string>): number {
  let regions = regionOfId.get(all)
  if (!regions) {
    regions = new Map()
    // the first station of an id wins, as Array.find did
    for (const f of all) if (!regions.has(f.properties.id)) regions.set(f.properties.id, f.properties.region_code)
    regionOfId.set(all, regions)
  }
  let n = 0
  for (const s of base) {
    const code = regions.get(s.id)
    if (code && codes.has(code)) n++
  }
  return n
}
