import { cellArea, cellToParent, cellsToMultiPolygon, getResolution, gridDisk } from 'h3-js'
import type { DemandItem } from './demand-item.ts'

/** A contiguous under-served area: uncovered demand cells that touch each other on the H3 grid. */
export interface GapArea {
  /** 1 = most unserved demand */
  rank: number
  /** H3 cells of the area */
  cells: string[]
  /** unserved demand in the layer's unit */
  demand: number
  area_km2: number
  /** demand-weighted centre [lon, lat] */
  centroid: [number, number]
  /** great-circle metres from the area's closest demand item to the nearest station (null: no station at all) */
  nearest_station_m: number | null
  /** the county holding most of the area's demand */
  region_code: string | null
  /** the cells' outline as GeoJSON MultiPolygon coordinates (lon, lat) */
  polygon: number[][][][]
}

export interface GapOptions {
  /** group on this coarser H3 resolution (e.g. 8 for a whole city); default: the items' own */
  resolution?: number
  /** return at most this many areas (after ranking) */
  limit?: number
  /** leave out areas with less unserved demand than this */
  minDemand?: number
  /**
   * a cell belongs to an under-served area only when its own unserved demand reaches this; where
   * demand is spread thinly over a whole county, this keeps pockets apart instead of one
   * county-wide ring around the stations
   */
  minCellDemand?: number
}

/** A cell's unserved demand, summed in item order (pass 1: every uncovered cell). */
interface Cell {
  h3: string
  demand: number
}

/** What only a reported area needs, per cell, summed in item order (pass 2: the reported areas' cells). */
interface CellDetail {
  nearest: number
  regions: Map<string, number>
  x: number
  y: number
  z: number
}

/** An area before its details: its cells in flood-fill order, demand summed in that order. */
interface Group {
  members: number[]
  demand: number
  /** its smallest H3 index (the tie-break) */
  first: string
}

/**
 * The nearest-station distance of demand item i: a precomputed array (computeCoverage's nearestM)
 * or a function asked only for the uncovered items of the areas reported, so a province's gaps do
 * not look up the nearest station of 10^6 items to report 20 areas.
 */
export type NearestOf = ArrayLike<number> | ((i: number) => number)

const RAD = Math.PI / 180

/**
 * Groups uncovered demand into contiguous areas (H3 neighbours, flood fill) and ranks them by
 * unserved demand. `coveredMask`/`nearestM` come from computeCoverage on the same items.
 * @example findGaps(cells, computeCoverage(cells, sites), { limit: 10 })[0].demand // 1830
 */
export function findGaps(
  demand: readonly DemandItem[],
  coverage: { coveredMask: Uint8Array; nearestM: NearestOf },
  options: GapOptions = {},
): GapArea[] {
  return findGapAreas(demand, coverage, options).areas
}

/**
 * findGaps, also counting every area that passes `minDemand` (`count`), with the details (outline,
 * area, centroid, nearest station, county) worked out only for the first `limit` areas: at a
 * province's 10^5 areas those details, not the grouping, took most of the time. The areas are the
 * ones findGaps always returned, to the bit: every sum runs over the same values in the same order.
 */
export function findGapAreas(
  demand: readonly DemandItem[],
  coverage: { coveredMask: Uint8Array; nearestM: NearestOf },
  options: GapOptions = {},
): { areas: GapArea[]; count: number } {
  const index = new Map<string, number>()
  const cells: Cell[] = []
  /** item → its cell in `cells`, -1 when it is covered or weighs nothing */
  const cellOf = new Int32Array(demand.length).fill(-1)
  for (let i = 0; i < demand.length; i++) {
    const item = demand[i]!
    if (coverage.coveredMask[i] || !(item.weight > 0)) continue
    const res = getResolution(item.h3)
    if (res < 0) throw new Error(`demand item ${i} has an invalid H3 index "${item.h3}"`)
    const h = options.resolution !== undefined && options.resolution < res ? cellToParent(item.h3, options.resolution) : item.h3
    let c = index.get(h)
    if (c === undefined) {
      index.set(h, (c = cells.length))
      cells.push({ h3: h, demand: 0 })
    }
    cells[c]!.demand += item.weight
    cellOf[i] = c
  }

  const minCell = options.minCellDemand ?? 0
  const kept = new Uint8Array(cells.length)
  for (let c = 0; c < cells.length; c++) kept[c] = minCell > 0 && cells[c]!.demand < minCell ? 0 : 1

  const seen = new Uint8Array(cells.length)
  const groups: Group[] = []
  const minDemand = options.minDemand ?? 0
  for (let start = 0; start < cells.length; start++) {
    if (seen[start] || !kept[start]) continue
    seen[start] = 1
    const members: number[] = []
    const queue = [start]
    let sum = 0
    let first = cells[start]!.h3
    while (queue.length) {
      const c = queue.pop()!
      members.push(c)
      const cell = cells[c]!
      sum += cell.demand
      if (cell.h3 < first) first = cell.h3
      for (const h of gridDisk(cell.h3, 1)) {
        const n = index.get(h)
        if (n !== undefined && !seen[n] && kept[n]) {
          seen[n] = 1
          queue.push(n)
        }
      }
    }
    if (sum >= minDemand) groups.push({ members, demand: sum, first })
  }
  groups.sort((a, b) => b.demand - a.demand || a.first.localeCompare(b.first))
  const shown = groups.slice(0, options.limit ?? Infinity)
  const details = cellDetails(demand, cellOf, shown, coverage.nearestM)
  return { areas: shown.map((g, i) => ({ rank: i + 1, ...summarise(g, cells, details) })), count: groups.length }
}

/** The reported areas' cells' details, from their uncovered items in item order. */
function cellDetails(demand: readonly DemandItem[], cellOf: Int32Array, shown: readonly Group[], nearestM: NearestOf): Map<number, CellDetail> {
  const details = new Map<number, CellDetail>()
  for (const g of shown) for (const c of g.members) details.set(c, { nearest: Infinity, regions: new Map(), x: 0, y: 0, z: 0 })
  if (details.size === 0) return details
  const nearestOf = typeof nearestM === 'function' ? nearestM : (i: number) => nearestM[i]!
  for (let i = 0; i < demand.length; i++) {
    const c = cellOf[i]!
    if (c < 0) continue
    const d = details.get(c)
    if (!d) continue
    const item = demand[i]!
    d.nearest = Math.min(d.nearest, nearestOf(i))
    if (item.region_code) d.regions.set(item.region_code, (d.regions.get(item.region_code) ?? 0) + item.weight)
    // weighted mean on the unit sphere, so a centroid is right near the antimeridian and poles too
    const cosLat = Math.cos(item.lat * RAD)
    d.x += item.weight * cosLat * Math.cos(item.lon * RAD)
    d.y += item.weight * cosLat * Math.sin(item.lon * RAD)
    d.z += item.weight * Math.sin(item.lat * RAD)
  }
  return details
}

function summarise(g: Group, cells: readonly Cell[], details: Map<number, CellDetail>): Omit<GapArea, 'rank'> {
  let area = 0
  let nearest = Infinity
  let x = 0
  let y = 0
  let z = 0
  const regions = new Map<string, number>()
  const members: string[] = []
  for (const c of g.members) {
    const h = cells[c]!.h3
    const d = details.get(c)!
    members.push(h)
    area += cellArea(h, 'km2')
    nearest = Math.min(nearest, d.nearest)
    x += d.x
    y += d.y
    z += d.z
    for (const [code, w] of d.regions) regions.set(code, (regions.get(code) ?? 0) + w)
  }
  let region_code: string | null = null
  let best = -1
  for (const [code, w] of regions) if (w > best) [region_code, best] = [code, w]
  const centroid: [number, number] = [Math.atan2(y, x) / RAD, Math.atan2(z, Math.hypot(x, y)) / RAD]
  members.sort()
  return {
    cells: members,
    demand: g.demand,
    area_km2: area,
    centroid,
    nearest_station_m: Number.isFinite(nearest) ? nearest : null,
    region_code,
    polygon: cellsToMultiPolygon(members, true),
  }
}
