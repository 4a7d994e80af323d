/**
 * What the worker threads compute: the pure core (coverage, gaps, siting) over inputs the request
 * thread loaded from the database. No I/O here; every task is a plain function of its input.
 */
import { computeCoverage } from '../core/coverage.ts'
import type { Site } from '../core/demand-item.ts'
import { findGaps, type GapArea } from '../core/find-gaps.ts'
import { gapCellThreshold } from '../core/gap-cell-threshold.ts'
import { suggestSites, type SitingOptions, type SitingResult } from '../core/suggest-sites.ts'
import { unpackDemand, type PackedDemand } from './packed-demand.ts'
import { parseImport, type ParsedImport, type ParseImportTask } from '../import/parse-import.ts'
import { buildXlsx, type BuildXlsxTask } from '../export/xlsx-writer.ts'

export interface CoverageTask {
  task: 'coverage'
  demand: PackedDemand
  sites: Site[]
  radius_m?: number
}

export interface GapsTask {
  task: 'gaps'
  demand: PackedDemand
  sites: Site[]
  radius_m?: number
  isPointLayer: boolean
  minDemand?: number
  /** null: the default threshold (gapCellThreshold) */
  minCellDemand: number | null
  limit: number
}

export interface SitingTask {
  task: 'siting'
  demand: PackedDemand
  /** candidate positions as [lon0, lat0, lon1, lat1, …]; null: the demand items themselves */
  candidates: Float64Array | null
  existing: Site[]
  options: SitingOptions
}

/** For tests: spins for `ms` milliseconds of CPU, so a test can hold a worker busy. */
export interface SpinTask {
  task: 'spin'
  ms: number
}

export type WorkTask = CoverageTask | GapsTask | SitingTask | SpinTask | ParseImportTask | BuildXlsxTask

export type CoverageOutcome = ReturnType<typeof coverageOf>
export interface GapsOutcome {
  /** the first `limit` areas */
  areas: GapArea[]
  /** how many areas there are in all */
  count: number
  unserved: number
  minCellDemand: number
}

function coverageOf(t: CoverageTask) {
  const { covered, total, ratio, by_region } = computeCoverage(unpackDemand(t.demand), t.sites, { radius_m: t.radius_m, nearest: false })
  return { covered, total, ratio, by_region }
}

function gapsOf(t: GapsTask): GapsOutcome {
  const demand = unpackDemand(t.demand)
  const r = computeCoverage(demand, t.sites, { radius_m: t.radius_m })
  const minCellDemand = t.minCellDemand ?? gapCellThreshold(demand, t.isPointLayer)
  const all = findGaps(demand, r, { minDemand: t.minDemand, minCellDemand })
  return { areas: all.slice(0, t.limit), count: all.length, unserved: r.total - r.covered, minCellDemand }
}

function sitingOf(t: SitingTask): SitingResult {
  const demand = unpackDemand(t.demand)
  const c = t.candidates
  const candidates = c ? Array.from({ length: c.length / 2 }, (_, i) => ({ lon: c[2 * i]!, lat: c[2 * i + 1]! })) : demand
  return suggestSites(demand, candidates, t.existing, t.options)
}

function spin(ms: number): number {
  const end = performance.now() + ms
  let x = 0
  while (performance.now() < end) x += Math.sqrt(x + 1)
  return x
}

export default function run(t: WorkTask): CoverageOutcome | GapsOutcome | SitingResult | number | Promise<ParsedImport> | Promise<Uint8Array> {
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
  }
}
