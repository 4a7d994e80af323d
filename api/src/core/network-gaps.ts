import { computeCoverage } from './coverage.ts'
import type { DemandItem, Site } from './demand-item.ts'
import { findGaps, type GapArea, type GapOptions } from './find-gaps.ts'
import { computeNetworkCoverage, type NetworkCoverageResult } from './network-coverage.ts'
import type { RoadGraph, TravelMode } from './road-types.ts'

/** A gap area with how far by road its closest cell is from a station. */
export interface RoadGapArea extends GapArea {
  /** road metres (walks to and from the road included) from the nearest station to the area's closest reachable cell; null: no station reaches it */
  road_m: number | null
  /** minutes of that trip */
  road_minutes: number | null
  /** unserved demand of the area's cells more than 300 m from any road */
  no_road_access: number
}

export interface NetworkGapsOptions extends Omit<GapOptions, 'resolution'> {
  mode: TravelMode
  minutes: number
}

/**
 * findGaps under the network rule: cells not reached within `minutes` by `mode` (no-road-access
 * cells included, as they are unserved) grouped and ranked as findGaps does; `nearest_station_m`
 * stays the great-circle distance, and each area also says how far by road its closest cell is.
 * @example findNetworkGaps(cells, stations, graph, { mode: 'ebike', minutes: 5 }).areas[0].road_minutes // 7.4
 */
export function findNetworkGaps(
  demand: readonly DemandItem[],
  sites: readonly Site[],
  graph: RoadGraph,
  options: NetworkGapsOptions,
): { areas: RoadGapArea[]; coverage: NetworkCoverageResult } {
  const { mode, minutes, ...gapOptions } = options
  const net = computeNetworkCoverage(demand, sites, graph, { mode, minutes })
  const straight = computeCoverage(demand, sites)
  const all = findGaps(demand, { coveredMask: net.coveredMask, nearestM: straight.nearestM }, gapOptions)
  const itemsOf = new Map<string, number[]>()
  demand.forEach((d, i) => {
    const list = itemsOf.get(d.h3)
    if (list) list.push(i)
    else itemsOf.set(d.h3, [i])
  })
  const areas = all.map((g): RoadGapArea => {
    let bestS = Infinity
    let bestM = Infinity
    let noRoad = 0
    for (const h of g.cells) {
      for (const i of itemsOf.get(h) ?? []) {
        if (net.coveredMask[i]) continue
        if (net.noRoadMask[i]) noRoad += demand[i]!.weight
        if (net.nearestS[i]! < bestS) [bestS, bestM] = [net.nearestS[i]!, net.nearestM[i]!]
      }
    }
    return { ...g, road_m: Number.isFinite(bestM) ? bestM : null, road_minutes: Number.isFinite(bestS) ? bestS / 60 : null, no_road_access: noRoad }
  })
  return { areas, coverage: net }
}
