/**
 * Demand hexagons for a stop: the API's cells, marked covered / unserved with the same coverage
 * core the API uses (api/src/core/coverage.ts), and the biggest gap's cells picked out. Memoised per
 * (demand, stations, gap) so a loop re-uses the arrays it built the first time round.
 */
import { computeCoverage } from '@core/coverage.ts'
import type { DemandItem, Site } from '@core/demand-item.ts'
import type { StationLite } from '../types.ts'
import type { DemandCollection } from './data.ts'
import type { HexCell } from './layers.ts'

const memo = new WeakMap<DemandCollection, { key: string; stations: readonly StationLite[]; cells: HexCell[] }>()

/** Active stations (of `kind`, if given) as coverage sites, each with its own radius. */
export function sitesOf(stations: readonly StationLite[], kind: string | null): Site[] {
  return stations
    .filter((s) => s.properties.status === 'active' && (!kind || s.properties.kind === kind))
    .map((s) => ({ id: s.properties.id, lon: s.geometry.coordinates[0]!, lat: s.geometry.coordinates[1]!, radius_m: s.properties.coverage_radius_m }))
}

export function hexCells(demand: DemandCollection, stations: readonly StationLite[], kind: string | null, gapCells: readonly string[]): HexCell[] {
  const key = `${kind ?? ''}|${gapCells.length}|${gapCells[0] ?? ''}`
  const hit = memo.get(demand)
  if (hit && hit.key === key && hit.stations === stations) return hit.cells
  const items: DemandItem[] = demand.features.map((f) => ({
    h3: f.properties.h3,
    lon: f.geometry.coordinates[0]!,
    lat: f.geometry.coordinates[1]!,
    weight: f.properties.weight,
    region_code: f.properties.region_code,
  }))
  const { coveredMask } = computeCoverage(items, sitesOf(stations, kind), { nearest: false })
  const gap = new Set(gapCells)
  const cells = items.map((d, i): HexCell => ({ h3: d.h3, weight: d.weight, state: gap.has(d.h3) ? 2 : coveredMask[i] ? 1 : 0 }))
  memo.set(demand, { key, stations, cells })
  return cells
}

export function maxWeight(cells: readonly HexCell[]): number {
  let m = 0
  for (const c of cells) if (c.weight > m) m = c.weight
  return m
}
