import type { CoverageTotals, DemandItem } from './demand-item.ts'
import { networkDijkstra, type SearchSource } from './network-dijkstra.ts'
import { MAX_SNAP_M, snapToRoad } from './network-snap.ts'
import { ACCESS_SPEED_KMH } from './road-speeds.ts'
import type { RoadGraph, TravelMode } from './road-types.ts'
import { summariseCoverage, type RegionCoverage } from './summarise-coverage.ts'

export interface NetworkRegionCoverage extends RegionCoverage {
  /** demand of the county's items more than `maxSnapM` from any road (never covered) */
  no_road_access: number
}

export interface NetworkCoverageResult extends CoverageTotals {
  /** per county, largest total first, as computeCoverage */
  by_region: NetworkRegionCoverage[]
  /** demand (and items) more than `maxSnapM` metres from any road the mode can use: counted in total, never covered */
  no_road_access: { demand: number; items: number }
  /** sites counted, and those left out for lying farther than `maxSnapM` from any road */
  sites: { counted: number; no_road_access: number }
  /** 1 where demand item i is reached within the time limit */
  coveredMask: Uint8Array
  /** 1 where demand item i has no road access */
  noRoadMask: Uint8Array
  /** seconds from item i to its fastest site, access legs included (Infinity: unreachable, or beyond the limit when `nearest` is false) */
  nearestS: Float64Array
  /** metres of that trip: the road path plus both straight access legs */
  nearestM: Float64Array
  /** index into `sites` of that site (-1 when none) */
  nearestSite: Int32Array
}

export interface NetworkCoverageOptions {
  mode: TravelMode
  /** time limit in minutes (> 0) */
  minutes: number
  /** farthest a demand item or a site may be from its road node, metres (default 300) */
  maxSnapM?: number
  /** also find, for items beyond the limit, their fastest site over the whole graph (default true); false stops each search at the limit */
  nearest?: boolean
}

/**
 * Covered and total demand by travel time on the road network: item i is covered when some site
 * reaches it within `minutes`, counting the walk from the site to its nearest road node, the
 * fastest path over the roads the mode may use (one multi-source Dijkstra from all sites) and the
 * walk from the item's nearest road node to the item (walks at ACCESS_SPEED_KMH, straight lines).
 * Items and sites more than `maxSnapM` from a road have no road access: such items are in the total,
 * reported in `no_road_access` and never covered; such sites cover nothing.
 * @example computeNetworkCoverage(cells, stations, graph, { mode: 'ebike', minutes: 5 }).ratio // 0.37
 */
export function computeNetworkCoverage(
  demand: readonly DemandItem[],
  sites: ReadonlyArray<{ lon: number; lat: number }>,
  graph: RoadGraph,
  options: NetworkCoverageOptions,
): NetworkCoverageResult {
  const { mode, minutes } = options
  if (!(minutes > 0)) throw new RangeError(`minutes must be > 0, got ${minutes}`)
  const limitS = minutes * 60
  const walk = ACCESS_SPEED_KMH / 3.6
  const maxM = options.maxSnapM ?? MAX_SNAP_M
  const siteSnap = snapToRoad(graph, mode, sites, { maxM })
  const sources: SearchSource[] = []
  for (let j = 0; j < sites.length; j++) {
    if (siteSnap.node[j]! >= 0) sources.push({ node: siteSnap.node[j]!, seconds: siteSnap.distanceM[j]! / walk, site: j })
  }
  const reached = networkDijkstra(graph, mode, sources, options.nearest === false ? { cutoffS: limitS } : {})
  const nodeS = new Float64Array(graph.nodeCount).fill(Infinity)
  const nodeM = new Float64Array(graph.nodeCount)
  const nodeSite = new Int32Array(graph.nodeCount).fill(-1)
  for (let k = 0; k < reached.nodes.length; k++) {
    const v = reached.nodes[k]!
    nodeS[v] = reached.seconds[k]!
    // a source's own access leg is in its seconds but not in the road metres
    nodeM[v] = reached.metres[k]! + siteSnap.distanceM[reached.site[k]!]!
    nodeSite[v] = reached.site[k]!
  }

  const n = demand.length
  const snap = snapToRoad(graph, mode, demand, { maxM })
  const coveredMask = new Uint8Array(n)
  const noRoadMask = new Uint8Array(n)
  const nearestS = new Float64Array(n).fill(Infinity)
  const nearestM = new Float64Array(n).fill(Infinity)
  const nearestSite = new Int32Array(n).fill(-1)
  for (let i = 0; i < n; i++) {
    const v = snap.node[i]!
    if (v < 0) {
      noRoadMask[i] = 1
      continue
    }
    if (nodeSite[v]! < 0) continue
    const s = nodeS[v]! + snap.distanceM[i]! / walk
    if (options.nearest === false && s > limitS) continue
    nearestS[i] = s
    nearestM[i] = nodeM[v]! + snap.distanceM[i]!
    nearestSite[i] = nodeSite[v]!
    if (s <= limitS) coveredMask[i] = 1
  }

  const summary = summariseCoverage(demand, coveredMask)
  const noRoadByRegion = new Map<string, number>()
  let noRoadDemand = 0
  let noRoadItems = 0
  for (let i = 0; i < n; i++) {
    if (!noRoadMask[i]) continue
    const { weight, region_code } = demand[i]!
    noRoadDemand += weight
    noRoadItems++
    if (region_code !== null) noRoadByRegion.set(region_code, (noRoadByRegion.get(region_code) ?? 0) + weight)
  }
  return {
    ...summary,
    by_region: summary.by_region.map((r) => ({ ...r, no_road_access: noRoadByRegion.get(r.code) ?? 0 })),
    no_road_access: { demand: noRoadDemand, items: noRoadItems },
    sites: { counted: sources.length, no_road_access: sites.length - sources.length },
    coveredMask,
    noRoadMask,
    nearestS,
    nearestM,
    nearestSite,
  }
}
