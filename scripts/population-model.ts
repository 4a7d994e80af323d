/**
 * The population model behind the `population` demand layer (data/demand/population-model.json),
 * as pure functions: no I/O, so the build script, its test and the benchmark (which scores every
 * res-9 cell of 黑河市, ~650k cells, on the fly) all compute the same numbers.
 *
 * Model (MODELLED, not observed): each settlement (the county seat and the towns) holds a share of
 * its county's 2020 census population and spreads it over the plane with an exponential
 * distance-decay kernel of scale s km:
 *
 *   density_i(d) = P_i / (2π s_i²) · exp(−d / s_i)        persons per km², d = great-circle km
 *
 * (2π s² is the kernel's integral over the plane, so each settlement's density integrates to P_i).
 * A cell's weight is the sum over its county's settlements of density × cell area, evaluated at the
 * H3 cell centre. The build then keeps only cells whose centre lies in the county polygon, drops cells
 * under the truncation threshold and rescales the county so its cells sum exactly to the census total.
 *
 * Rural base: the kernels alone leave most of a county's land empty (the truncation drops whatever no
 * settlement reaches), while real counties have villages everywhere. A stated share of each county's
 * census total is spread over all of its land as villages: one per H3 cell of a coarser "village"
 * resolution (res 7, ≈ 5.2 km²), at the county's res-9 cell nearest that cell's centre, weighted by how
 * many res-9 cells of county land it stands for (ruralBase). The kernels share the rest.
 */
import { cellArea, cellToLatLng, cellToParent, greatCircleDistance, gridDisk, latLngToCell, UNITS } from 'h3-js'

/** [longitude, latitude] in WGS-84 degrees. */
export type LonLat = [number, number]

/** One settlement as the kernel sees it. */
export interface Settlement {
  /** persons assigned to this settlement (share × county census total) */
  population: number
  /** WGS-84 position */
  position: LonLat
  /** kernel scale s, km */
  scale_km: number
}

/**
 * Persons per km² at a point, summed over settlements.
 * @param lonlat WGS-84 [lon, lat], degrees
 * @param settlements the county's settlements (population in persons, scale in km)
 * @returns density in persons per km²
 * @example populationDensity([116.306, 35.067], [{ population: 1000, position: [116.306, 35.067], scale_km: 1 }]) // ≈ 159.2
 */
export function populationDensity(lonlat: LonLat, settlements: readonly Settlement[]): number {
  let density = 0
  for (const s of settlements) {
    const d = greatCircleDistance([lonlat[1], lonlat[0]], [s.position[1], s.position[0]], UNITS.km)
    density += (s.population / (2 * Math.PI * s.scale_km * s.scale_km)) * Math.exp(-d / s.scale_km)
  }
  return density
}

/**
 * Modelled persons in one H3 cell before clipping, truncation and rescaling: density at the cell
 * centre × the cell's area. This is what the benchmark calls for every cell of a county.
 * @param h3 H3 index (any resolution; the model is stated at res 9)
 * @param settlements the county's settlements
 * @returns persons (unrounded)
 * @example populationWeight(latLngToCell(35.067, 116.306, 9), seatOnly) // persons in the seat's cell
 */
export function populationWeight(h3: string, settlements: readonly Settlement[]): number {
  const [lat, lon] = cellToLatLng(h3)
  return populationDensity([lon, lat], settlements) * cellArea(h3, UNITS.km2)
}

/**
 * Distance (km) beyond which one settlement alone gives a cell less than `threshold` persons:
 * peak·exp(−d/s) < threshold ⇔ d > s·ln(peak/threshold), with peak = P·A/(2πs²).
 * Used to bound the search ring; the test checks the ring loses no cell above the threshold.
 */
export function truncationRadiusKm(s: Settlement, threshold: number, cellAreaKm2: number): number {
  const peak = (s.population * cellAreaKm2) / (2 * Math.PI * s.scale_km * s.scale_km)
  return peak <= threshold ? 0 : s.scale_km * Math.log(peak / threshold)
}

/** Average distance between neighbouring res-9 cell centres, km (H3: ≈ √3 × 0.174 km edge). */
const RES9_SPACING_KM = 0.3
/** Mean res-9 cell area, km² (H3 published average 0.1053 km²). */
const RES9_AREA_KM2 = 0.1053

/**
 * Every res-9 cell that any settlement could lift over `threshold`, with its unclipped weight.
 * Candidate cells come from an H3 disk around each settlement sized by truncationRadiusKm (with margins); the weight of a candidate sums all settlements, so overlapping towns add up.
 * @returns Map h3 → persons (unclipped, untruncated, unscaled)
 */
export function candidateCells(settlements: readonly Settlement[], threshold: number, resolution = 9): Map<string, number> {
  const spacing = RES9_SPACING_KM * Math.pow(Math.sqrt(7), 9 - resolution)
  const area = RES9_AREA_KM2 * Math.pow(7, 9 - resolution)
  const cells = new Map<string, number>()
  for (const s of settlements) {
    // A k-disk is a hexagon: its inscribed radius is only k·spacing·√3/2, and real cells vary about the
    // mean area; the margins (×1.25 area, √3/2, +1 ring) keep every cell over the threshold in the disk.
    const k = Math.ceil(truncationRadiusKm(s, threshold, area * 1.25) / (spacing * (Math.sqrt(3) / 2))) + 1
    for (const h of gridDisk(latLngToCell(s.position[1], s.position[0], resolution), k)) {
      if (!cells.has(h)) cells.set(h, populationWeight(h, settlements))
    }
  }
  return cells
}

export interface CountyCells {
  /** h3 → persons, summing exactly (in hundredths of a person) to `census` */
  cells: Map<string, number>
  /** persons in cells dropped for being under the threshold or outside the county, before rescaling */
  droppedInside: number
  droppedOutside: number
  /** total modelled persons before rescaling (inside + outside + kept) */
  modelled: number
}

/**
 * The rural base of one county: `persons` spread over its land as one village per H3 cell of
 * `villageResolution` that holds county land. Each village sits at the land cell nearest its
 * village-resolution cell's centre (ties: the smaller index) that `accept` admits, and carries
 * persons × (land cells it stands for) / (all land cells), so the base is uniform per km² of land.
 * Village-resolution cells none of whose land cells are accepted are left out and the rest share
 * their persons (weights always sum to `persons`).
 * @param landCells the county's land at the model resolution (res 9): cells whose centre lies in the county
 * @param persons persons to spread (rural share × census total)
 * @param villageResolution coarser H3 resolution of the village grid (7: ≈ 5.2 km², villages ≈ 2.4 km apart)
 * @param accept extra test a village cell must pass (e.g. inside this county and no other); default all
 * @returns Map village h3 (at the land cells' resolution) → persons, ordered by h3
 * @example ruralBase(polygonToCells(county, 9), 0.15 * 286260, 7) // ≈ 330 villages of ≈ 130 persons
 */
export function ruralBase(
  landCells: readonly string[],
  persons: number,
  villageResolution: number,
  accept: (h3: string) => boolean = () => true,
): Map<string, number> {
  const groups = new Map<string, string[]>()
  for (const h of landCells) {
    const parent = cellToParent(h, villageResolution)
    const g = groups.get(parent)
    if (g) g.push(h)
    else groups.set(parent, [h])
  }
  const villages: [string, number][] = []
  for (const [parent, cells] of groups) {
    const [plat, plon] = cellToLatLng(parent)
    const ranked = cells
      .map((h) => {
        const [lat, lon] = cellToLatLng(h)
        return { h, d: greatCircleDistance([plat, plon], [lat, lon], UNITS.km) }
      })
      .sort((a, b) => a.d - b.d || (a.h < b.h ? -1 : 1))
    const village = ranked.find((r) => accept(r.h))
    if (village) villages.push([village.h, cells.length])
  }
  const land = villages.reduce((a, [, n]) => a + n, 0)
  villages.sort((a, b) => (a[0] < b[0] ? -1 : 1))
  return new Map(villages.map(([h, n]) => [h, (persons * n) / land]))
}

/**
 * The population cells of one county: candidates → keep centres inside the county (`inside`) →
 * drop cells under `threshold` persons → rescale so the county sums to `census` (less the rural
 * base, when given) → add the rural base's villages → round to hundredths of a person with largest
 * remainders, so the sum is exact.
 * @param census county total, persons (an integer)
 * @param inside point-in-polygon test for the county, WGS-84 [lon, lat]
 * @param threshold persons per cell under which a settlement cell is dropped (before rescaling)
 * @param options.rural the county's rural base (ruralBase), persons per village cell; its sum is kept as is
 */
export function countyCells(
  settlements: readonly Settlement[],
  census: number,
  inside: (lonlat: LonLat) => boolean,
  threshold: number,
  options: { rural?: ReadonlyMap<string, number> } = {},
): CountyCells {
  let droppedInside = 0
  let droppedOutside = 0
  let modelled = 0
  const kept: [string, number][] = []
  for (const [h, w] of candidateCells(settlements, threshold)) {
    modelled += w
    const [lat, lon] = cellToLatLng(h)
    if (!inside([lon, lat])) droppedOutside += w
    else if (w < threshold) droppedInside += w
    else kept.push([h, w])
  }
  if (kept.length === 0) throw new Error('countyCells: no cell reaches the threshold; lower it or check the settlements')
  const rural = options.rural ?? new Map<string, number>()
  const ruralPersons = [...rural.values()].reduce((a, w) => a + w, 0)
  if (!(ruralPersons < census)) throw new Error(`countyCells: the rural base (${ruralPersons} persons) must be less than the census total ${census}`)
  // The settlements get what the rural base leaves; then villages add to the cells they stand on.
  const keptSum = kept.reduce((a, [, w]) => a + w, 0)
  const merged = new Map(kept.map(([h, w]) => [h, (w / keptSum) * (census - ruralPersons)]))
  for (const [h, w] of rural) merged.set(h, (merged.get(h) ?? 0) + w)
  const entries = [...merged.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1))
  return { cells: roundToTotal(entries, census), droppedInside, droppedOutside, modelled }
}

/**
 * Scale weights to `total` and round each to 0.01 with the largest-remainder method, so the rounded
 * weights sum to exactly total (in integer hundredths). Every weight stays > 0 (a cell kept for being
 * over the threshold never rounds to 0 unless total is tiny, which the caller rules out).
 */
export function roundToTotal(entries: readonly [string, number][], total: number): Map<string, number> {
  const sum = entries.reduce((acc, [, w]) => acc + w, 0)
  const target = Math.round(total * 100)
  const scaled = entries.map(([h, w]) => ({ h, exact: (w / sum) * target }))
  const floors = scaled.map((e) => ({ h: e.h, n: Math.floor(e.exact), rem: e.exact - Math.floor(e.exact) }))
  let missing = target - floors.reduce((acc, e) => acc + e.n, 0)
  const order = floors.map((_, i) => i).sort((a, b) => floors[b]!.rem - floors[a]!.rem || (floors[a]!.h < floors[b]!.h ? -1 : 1))
  for (const i of order) {
    if (missing <= 0) break
    floors[i]!.n += 1
    missing -= 1
  }
  return new Map(floors.filter((e) => e.n > 0).map((e) => [e.h, e.n / 100]))
}
