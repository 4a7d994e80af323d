import type { CoverageTotals, DemandItem, Site } from './demand-item.ts'
import { coveredByNearest, DEMAND_FIRST_PAIRS, DEMAND_FIRST_SITES } from './covered-by-nearest.ts'
import { buildGeoIndex, geoIndexOf } from './geo-index.ts'
import { nearestPoint } from './nearest-point.ts'
import { pointsWithin } from './points-within.ts'
import { summariseCoverage, type RegionCoverage } from './summarise-coverage.ts'

export type { RegionCoverage }

export interface CoverageResult extends CoverageTotals {
  /** per county (region_code of the demand items), largest total first; items without a code are left out */
  by_region: RegionCoverage[]
  /** 1 where demand item i is within reach of a site */
  coveredMask: Uint8Array
  /** great-circle metres from demand item i to its nearest site (Infinity when there is none) */
  nearestM: Float64Array
  /** index into `sites` of that nearest site (-1 when there is none) */
  nearestSite: Int32Array
}

export interface CoverageOptions {
  /** one radius in metres for every site instead of each site's own `radius_m` */
  radius_m?: number
  /** skip the nearest-site distances (what-if dragging needs only the mask and totals) */
  nearest?: boolean
}



/**
 * Covered and total demand: item i counts as covered when it lies within a site's radius
 * (great-circle metres, inclusive, as PostGIS `ST_DWithin(geography, geography, r, false)`).
 * Sites are the stations that count (already filtered by kind, status and opening time).
 * @example computeCoverage(cells, [{ id: 'a', lon: 116.31, lat: 35.07, radius_m: 1500 }]).ratio // 0.42
 */
export function computeCoverage(demand: readonly DemandItem[], sites: readonly Site[], options: CoverageOptions = {}): CoverageResult {
  const n = demand.length
  const coveredMask = new Uint8Array(n)
  if (options.radius_m !== undefined && !(options.radius_m > 0)) throw new RangeError(`radius_m must be > 0 metres, got ${options.radius_m}`)
  if (sites.length >= DEMAND_FIRST_SITES || n * sites.length > DEMAND_FIRST_PAIRS) {
    // many sites (a county at 10^5 stations, a province): each item asks the sites near it instead of
    // each site marking its circle (the same mask, to the bit; covered-by-nearest.test.ts)
    coveredMask.set(coveredByNearest(demand, sites, options.radius_m))
  } else {
    const demandIndex = geoIndexOf(demand)
    // Each site marks the items around it: work grows with sites × items per radius, not sites × items.
    for (const site of sites) {
      const r = options.radius_m ?? site.radius_m
      for (const i of pointsWithin(demandIndex, site.lon, site.lat, r)) coveredMask[i] = 1
    }
  }

  const nearestM = new Float64Array(n).fill(Infinity)
  const nearestSite = new Int32Array(n).fill(-1)
  if (options.nearest !== false && sites.length > 0) {
    const siteIndex = buildGeoIndex(sites)
    for (let i = 0; i < n; i++) {
      const hit = nearestPoint(siteIndex, demand[i]!.lon, demand[i]!.lat)!
      nearestM[i] = hit.distance_m
      nearestSite[i] = hit.id
    }
  }

  return { ...summariseCoverage(demand, coveredMask), coveredMask, nearestM, nearestSite }
}
