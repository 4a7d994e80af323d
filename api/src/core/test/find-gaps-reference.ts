/**
 * findGaps as it was before findGapAreas (commit 805f3d2): every area summarised, polygons and all,
 * from every item's precomputed nearest distance. Test support only — the reference the faster
 * findGapAreas must match to the bit.
 */
import { cellArea, cellToParent, cellsToMultiPolygon, getResolution, gridDisk } from 'h3-js'
import type { DemandItem } from '../demand-item.ts'
import type { GapArea, GapOptions } from '../find-gaps.ts'

interface Cell {
  demand: number
  nearest: number
  regions: Map<string, number>
  x: number
  y: number
  z: number
}

const RAD = Math.PI / 180

export function findGapsReference(
  demand: readonly DemandItem[],
  coverage: { coveredMask: Uint8Array; nearestM: Float64Array },
  options: GapOptions = {},
): GapArea[] {
  const cells = new Map<string, Cell>()
  for (let i = 0; i < demand.length; i++) {
    const item = demand[i]!
    if (coverage.coveredMask[i] || !(item.weight > 0)) continue
    const res = getResolution(item.h3)
    if (res < 0) throw new Error(`demand item ${i} has an invalid H3 index "${item.h3}"`)
    const h = options.resolution !== undefined && options.resolution < res ? cellToParent(item.h3, options.resolution) : item.h3
    let c = cells.get(h)
    if (!c) cells.set(h, (c = { demand: 0, nearest: Infinity, regions: new Map(), x: 0, y: 0, z: 0 }))
    c.demand += item.weight
    c.nearest = Math.min(c.nearest, coverage.nearestM[i]!)
    if (item.region_code) c.regions.set(item.region_code, (c.regions.get(item.region_code) ?? 0) + item.weight)
    // weighted mean on the unit sphere, so a centroid is right near the antimeridian and poles too
    const cosLat = Math.cos(item.lat * RAD)
    c.x += item.weight * cosLat * Math.cos(item.lon * RAD)
    c.y += item.weight * cosLat * Math.sin(item.lon * RAD)
    c.z += item.weight * Math.sin(item.lat * RAD)
  }

  const minCell = options.minCellDemand ?? 0
  if (minCell > 0) for (const [h, c] of cells) if (c.demand < minCell) cells.delete(h)

  const seen = new Set<string>()
  const areas: Omit<GapArea, 'rank'>[] = []
  for (const start of cells.keys()) {
    if (seen.has(start)) continue
    seen.add(start)
    const members: string[] = []
    const queue = [start]
    while (queue.length) {
      const h = queue.pop()!
      members.push(h)
      for (const n of gridDisk(h, 1)) {
        if (!seen.has(n) && cells.has(n)) {
          seen.add(n)
          queue.push(n)
        }
      }
    }
    areas.push(summarise(members, cells))
  }
  const minDemand = options.minDemand ?? 0
  return areas
    .filter((a) => a.demand >= minDemand)
    .sort((a, b) => b.demand - a.demand || a.cells[0]!.localeCompare(b.cells[0]!))
    .slice(0, options.limit ?? Infinity)
    .map((a, i) => ({ rank: i + 1, ...a }))
}

function summarise(members: string[], cells: Map<string, Cell>): Omit<GapArea, 'rank'> {
  let demand = 0
  let area = 0
  let nearest = Infinity
  let x = 0
  let y = 0
  let z = 0
  const regions = new Map<string, number>()
  for (const h of members) {
    const c = cells.get(h)!
    demand += c.demand
    area += cellArea(h, 'km2')
    nearest = Math.min(nearest, c.nearest)
    x += c.x
    y += c.y
    z += c.z
    for (const [code, w] of c.regions) regions.set(code, (regions.get(code) ?? 0) + w)
  }
  let region_code: string | null = null
  let best = -1
  for (const [code, w] of regions) if (w > best) [region_code, best] = [code, w]
  const centroid: [number, number] = [Math.atan2(y, x) / RAD, Math.atan2(z, Math.hypot(x, y)) / RAD]
  members.sort()
  return {
    cells: members,
    demand,
    area_km2: area,
    centroid,
    nearest_station_m: Number.isFinite(nearest) ? nearest : null,
    region_code,
    polygon: cellsToMultiPolygon(members, true),
  }
}
