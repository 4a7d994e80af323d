/**
 * Coverage kept up to date site by site, for dragging. computeCoverage rebuilds its k-d index of
 * the demand and re-marks every site on each call (a few ms on 10k cells, but with allocation
 * spikes of 50+ ms under GC); a drag moves one site. So the demand index is built once, and each
 * site's covered items (the core's pointsWithin: the same great-circle test) are counted in and
 * out as sites appear, move or go. Totals and per-county figures are summed from the counts.
 * Checked against computeCoverage in coverage-counter.test.ts.
 */
import type { CoverageTotals, DemandItem, Site } from './demand-item.ts'
import { geoIndexOf, type GeoIndex } from './geo-index.ts'
import { pointsWithin } from './points-within.ts'
import { summariseCoverage, type RegionCoverage } from './summarise-coverage.ts'

export interface CountedCoverage extends CoverageTotals {
  by_region: RegionCoverage[]
  /** 1 where item i is within reach of a site (a fresh array per call: layers compare by identity) */
  coveredMask: Uint8Array
}

interface Placed {
  lon: number
  lat: number
  radius_m: number
  items: number[]
}

export class CoverageCounter {
  private readonly index: GeoIndex
  /** how many sites reach item i */
  private readonly counts: Uint32Array
  private placed = new Map<string, Placed>()

  constructor(private readonly demand: readonly DemandItem[]) {
    this.index = geoIndexOf(demand)
    this.counts = new Uint32Array(demand.length)
  }

  /** Makes `sites` the network: only sites that are new, moved, resized or gone are re-queried. */
  setSites(sites: readonly Site[]): void {
    const next = new Map<string, Placed>()
    for (const s of sites) {
      const old = this.placed.get(s.id)
      if (old && old.lon === s.lon && old.lat === s.lat && old.radius_m === s.radius_m) {
        next.set(s.id, old)
        this.placed.delete(s.id)
        continue
      }
      const items = pointsWithin(this.index, s.lon, s.lat, s.radius_m)
      for (const i of items) this.counts[i]!++
      next.set(s.id, { lon: s.lon, lat: s.lat, radius_m: s.radius_m, items })
    }
    // what is left of the old map is gone or replaced
    for (const old of this.placed.values()) for (const i of old.items) this.counts[i]!--
    this.placed = next
  }

  /** Covered/total overall and per county (largest total first, as computeCoverage orders them). */
  result(): CountedCoverage {
    const coveredMask = new Uint8Array(this.demand.length)
    for (let i = 0; i < coveredMask.length; i++) if (this.counts[i]! > 0) coveredMask[i] = 1
    return { ...summariseCoverage(this.demand, coveredMask), coveredMask }
  }
}
