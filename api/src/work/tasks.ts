/**
 * What the worker threads compute: the pure core (coverage, gaps, siting) over inputs the request
 * thread loaded from the database. No I/O here; every task is a plain function of its input.
 */
import { computeCoverage } from '../core/coverage.ts'
import type { CoverageTotals, DemandItem, Site } from '../core/demand-item.ts'
import { aggregateToParents } from '../core/aggregate-to-parents.ts'
import type { RegionCoverage } from '../core/summarise-coverage.ts'
import { findGapAreas, type GapArea } from '../core/find-gaps.ts'
import { nearestSiteDistance } from '../core/nearest-site-distance.ts'
import { gapCellThreshold } from '../core/gap-cell-threshold.ts'
import { computeNetworkCoverage } from '../core/network-coverage.ts'
import { findNetworkGaps, type RoadGapArea } from '../core/network-gaps.ts'
import { suggestSitesByNetwork } from '../core/network-suggest-sites.ts'
import type { RoadGraph, TravelMode } from '../core/road-types.ts'
import { suggestSites, type SitingOptions, type SitingResult } from '../core/suggest-sites.ts'
import { unpackDemand, type PackedDemand } from './packed-demand.ts'
import { parseImport, type ParsedImport, type ParseImportTask } from '../import/parse-import.ts'
import { buildXlsx, type BuildXlsxTask } from '../export/xlsx-writer.ts'
import { parseDemand, type ParseDemandResult, type ParseDemandTask } from '../import/parse-demand.ts'

/** Coverage by travel time on this graph (on shared memory: see planning/region-roads.ts) instead of circles. */
export interface NetworkRule {
  graph: RoadGraph
  mode: TravelMode
  minutes: number
}

export interface CoverageTask {
  task: 'coverage'
  demand: PackedDemand
  /** h3 cells read at their stored resolution, summed to this coarser one here first (a province's rows never become objects on the request thread) */
  aggregateTo?: number | null
  /** the demand arrays are the request's own: moved to the worker instead of copied */
  ownDemand?: boolean
  sites: Site[]
  radius_m?: number
  network?: NetworkRule
}

export interface GapsTask {
  task: 'gaps'
  demand: PackedDemand
  /** h3 cells read at their stored resolution, summed to this coarser one here first (a province's rows never become objects on the request thread) */
  aggregateTo?: number | null
  /** the demand arrays are the request's own: moved to the worker instead of copied */
  ownDemand?: boolean
  sites: Site[]
  radius_m?: number
  isPointLayer: boolean
  minDemand?: number
  /** null: the default threshold (gapCellThreshold) */
  minCellDemand: number | null
  limit: number
  network?: NetworkRule
}

export interface SitingTask {
  task: 'siting'
  demand: PackedDemand
  /** candidate positions as [lon0, lat0, lon1, lat1, …]; null: the demand items themselves */
  candidates: Float64Array | null
  existing: Site[]
  options: SitingOptions
  network?: NetworkRule
}

/** For tests: spins for `ms` milliseconds of CPU, so a test can hold a worker busy. */
export interface SpinTask {
  task: 'spin'
  ms: number
}

export type WorkTask = CoverageTask | GapsTask | SitingTask | SpinTask | ParseImportTask | BuildXlsxTask | ParseDemandTask


/** A gap area; the road fields are null under the straight-line rule (findNetworkGaps fills them). */
export type GapsArea = GapArea & { [K in 'road_m' | 'road_minutes' | 'no_road_access']: RoadGapArea[K] | null }

export interface GapsOutcome {
  /** the first `limit` areas */
  areas: GapsArea[]
  /** how many areas there are in all */
  count: number
  unserved: number
  minCellDemand: number
  /** with the network rule: demand (and items) without road access in the whole region */
  noRoadAccess: { demand: number; items: number } | null
}

export interface CoverageOutcome extends CoverageTotals {
  /** per county; `no_road_access` with the network rule */
  by_region: Array<RegionCoverage & { no_road_access?: number }>
  /** with the network rule: demand without road access, and sites counted / too far from a road */
  network: { no_road_access: { demand: number; items: number }; sites: { counted: number; no_road_access: number } } | null
}

/** The task's demand as the core takes it: unpacked, and summed to `aggregateTo` when asked. */
function demandOf(t: CoverageTask | GapsTask): DemandItem[] {
  const items = unpackDemand(t.demand)
  return t.aggregateTo == null ? items : aggregateToParents(items, t.aggregateTo)
}

export function coverageOf(t: CoverageTask): CoverageOutcome {
  const demand = demandOf(t)
  if (t.network) {
    const { graph, mode, minutes } = t.network
    const r = computeNetworkCoverage(demand, t.sites, graph, { mode, minutes, nearest: false })
    return { covered: r.covered, total: r.total, ratio: r.ratio, by_region: r.by_region, network: { no_road_access: r.no_road_access, sites: r.sites } }
  }
  const { covered, total, ratio, by_region } = computeCoverage(demand, t.sites, { radius_m: t.radius_m, nearest: false })
  return { covered, total, ratio, by_region, network: null }
}

function gapsOf(t: GapsTask): GapsOutcome {
  const demand = demandOf(t)
  const minCellDemand = t.minCellDemand ?? gapCellThreshold(demand, t.isPointLayer)
  if (t.network) {
    const { graph, mode, minutes } = t.network
    const { areas, coverage: r } = findNetworkGaps(demand, t.sites, graph, { mode, minutes, minDemand: t.minDemand, minCellDemand })
    return { areas: areas.slice(0, t.limit), count: areas.length, unserved: r.total - r.covered, minCellDemand, noRoadAccess: r.no_road_access }
  }
  // the mask only: the nearest station is looked up for the reported areas' items alone (findGapAreas)
  const r = computeCoverage(demand, t.sites, { radius_m: t.radius_m, nearest: false })
  const found = findGapAreas(demand, { coveredMask: r.coveredMask, nearestM: nearestSiteDistance(demand, t.sites) }, { minDemand: t.minDemand, minCellDemand, limit: t.limit })
  const areas = found.areas.map((g) => ({ ...g, road_m: null, road_minutes: null, no_road_access: null }))
  return { areas, count: found.count, unserved: r.total - r.covered, minCellDemand, noRoadAccess: null }
}

/** The siting answer, and with the network rule the region's demand without road access. */
export interface SitingOutcome extends SitingResult {
  noRoadAccess: { demand: number; items: number } | null
}

function sitingOf(t: SitingTask): SitingOutcome {
  const demand = unpackDemand(t.demand)
  const c = t.candidates
  const candidates = c ? Array.from({ length: c.length / 2 }, (_, i) => ({ lon: c[2 * i]!, lat: c[2 * i + 1]! })) : demand
  if (t.network) {
    const { graph, mode, minutes } = t.network
    const r = suggestSitesByNetwork(demand, candidates, t.existing, graph, { mode, minutes, count: t.options.count, targetRatio: t.options.targetRatio, maxSites: t.options.maxSites })
    // with no sites the coverage is only the snapping: which demand no road reaches
    const { no_road_access } = computeNetworkCoverage(demand, [], graph, { mode, minutes, nearest: false })
    return { ...r, noRoadAccess: no_road_access }
  }
  return { ...suggestSites(demand, candidates, t.existing, t.options), noRoadAccess: null }
}

function spin(ms: number): number {
  const end = performance.now() + ms
  let x = 0
  while (performance.now() < end) x += Math.sqrt(x + 1)
  return x
}

export default function run(t: WorkTask): CoverageOutcome | GapsOutcome | SitingOutcome | number | Promise<ParsedImport> | Promise<Uint8Array> | Promise<ParseDemandResult> {
  switch (t.task) {
    case 'coverage':
      return coverageOf(t)
    case 'gaps':
      return gapsOf(t)
    case 'siting':
      return sitingOf(t)
    case 'spin':
      return spin(t.ms)
    case 'parse-import':
      return parseImport(t)
    case 'build-xlsx':
      return buildXlsx(t)
    case 'parse-demand':
      return parseDemand(t)
  }
}
