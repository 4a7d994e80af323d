import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { computeCoverage } from './coverage.ts'
import type { DemandItem } from './demand-item.ts'
import { findGaps } from './find-gaps.ts'
import { greatCircleDistance } from './great-circle-distance.ts'
import { computeNetworkCoverage } from './network-coverage.ts'
import { randomDemand } from './test/random-demand.ts'
import { ACCESS_SPEED_KMH } from './road-speeds.ts'
import { at, loadTown, metres, MPS, oracleSeconds, oracleSnap, withoutWay } from './test/town.ts'

const { graph, network, node } = await loadTown()
const walk = ACCESS_SPEED_KMH / 3.6
const cell = (lon: number, lat: number, weight = 10, region_code: string | null = '370828'): DemandItem => ({ h3: 'x', lon, lat, weight, region_code })
/** a point `north` metres north of grid node (x, y) */
const near = (x: number, y: number, north = 0) => ({ lon: at(x, y)[0], lat: at(x, y)[1] + (north / 6371008.7714) * (180 / Math.PI) })

describe('computeNetworkCoverage on the fixture town', () => {
  const riverStation = { lon: at(0, 2)[0], lat: at(0, 2)[1] }
  const northBank = near(0, 3, 20)
  const southCell = near(1, 2, 20)
  const noRoad = { lon: 116.315, lat: 35.044 } // 667 m south of 金山大道

  it('stops the 5-minute e-bike area of a station far from the bridge at the river, where the circle crosses it', () => {
    const demand = [cell(northBank.lon, northBank.lat), cell(southCell.lon, southCell.lat)]
    const net = computeNetworkCoverage(demand, [riverStation], graph, { mode: 'ebike', minutes: 5 })
    expect([...net.coveredMask]).toEqual([0, 1])
    // straight line: 1500 m (5 minutes at 18 km/h) covers the north bank 465 m away
    expect([...computeCoverage(demand, [{ id: 's', ...riverStation, radius_m: 1500 }]).coveredMask]).toEqual([1, 1])
    // by road the north-bank cell is round by 幸福桥: 4 blocks east, the bridge, 4 blocks back, then 20 m on foot
    const road = 4 * metres([0, 2], [1, 2]) + metres([4, 2], [4, 3]) + 4 * metres([0, 3], [1, 3])
    expect(net.nearestM[0]).toBeCloseTo(road + 20, 3)
    expect(net.nearestS[0]).toBeCloseTo(road / MPS.residential + 20 / walk, 3)
    expect(net.nearestS[1]).toBeCloseTo(metres([0, 2], [1, 2]) / MPS.residential + 20 / walk, 3)
  })

  it('reaches a cell across the river only by the bridge', () => {
    const station = near(3, 2)
    const target = cell(near(3, 3, 20).lon, near(3, 3, 20).lat)
    const withBridge = computeNetworkCoverage([target], [station], graph, { mode: 'ebike', minutes: 5 })
    expect(withBridge.covered).toBe(10)
    const s = (metres([3, 2], [4, 2]) + metres([4, 2], [4, 3]) + metres([4, 3], [3, 3])) / MPS.residential + 20 / walk
    expect(withBridge.nearestS[0]).toBeCloseTo(s, 3)
    const noBridge = computeNetworkCoverage([target], [station], withoutWay(network, '幸福桥'), { mode: 'ebike', minutes: 5 })
    expect(noBridge.covered).toBe(0)
    expect(noBridge.nearestS[0]).toBe(Infinity)
  })

  it('counts a cell more than 300 m from any road as no road access: in the total, never covered, even with a station on it', () => {
    const demand = [cell(noRoad.lon, noRoad.lat, 7), cell(southCell.lon, southCell.lat, 3)]
    const net = computeNetworkCoverage(demand, [noRoad, riverStation], graph, { mode: 'foot', minutes: 60 })
    expect(net.total).toBe(10)
    expect(net.covered).toBe(3)
    expect(net.no_road_access).toEqual({ demand: 7, items: 1 })
    expect([...net.noRoadMask]).toEqual([1, 0])
    expect(net.sites).toEqual({ counted: 1, no_road_access: 1 })
    expect(net.by_region).toEqual([{ code: '370828', covered: 3, total: 10, ratio: 0.3, no_road_access: 7 }])
  })

  it('covers nothing with no sites and handles empty demand', () => {
    const none = computeNetworkCoverage([cell(southCell.lon, southCell.lat)], [], graph, { mode: 'ebike', minutes: 5 })
    expect(none).toMatchObject({ covered: 0, total: 10, ratio: 0, sites: { counted: 0, no_road_access: 0 } })
    expect(computeNetworkCoverage([], [riverStation], graph, { mode: 'ebike', minutes: 5 })).toMatchObject({ covered: 0, total: 0, ratio: 0 })
    expect(() => computeNetworkCoverage([], [], graph, { mode: 'ebike', minutes: 0 })).toThrow(/minutes/)
  })

  it('agrees with brute force (nearest node by scanning, O(V²) Dijkstra from each station) on random cells and stations', () => {
    const rng = seedrandom('town-coverage')
    const rand = () => ({ lon: 116.295 + rng() * 0.04, lat: 35.046 + rng() * 0.024 })
    const demand = Array.from({ length: 300 }, () => {
      const p = rand()
      return cell(p.lon, p.lat, 1 + Math.floor(rng() * 9), rng() < 0.5 ? '370828' : '361021')
    })
    const stations = Array.from({ length: 4 }, rand)
    for (const mode of ['ebike', 'foot'] as const) {
      for (const minutes of [3, 5, 12]) {
        const net = computeNetworkCoverage(demand, stations, graph, { mode, minutes })
        const cut = computeNetworkCoverage(demand, stations, graph, { mode, minutes, nearest: false })
        const usable = graph.modes[mode].usable
        const snaps = stations.map((s) => oracleSnap(graph.lon, graph.lat, usable, s))
        const perStation = snaps.map((sn) => (sn.node < 0 ? null : oracleSeconds(graph.nodeCount, network.edges, mode, [{ node: sn.node, seconds: sn.m / walk }])))
        let covered = 0
        demand.forEach((d, i) => {
          const sn = oracleSnap(graph.lon, graph.lat, usable, d)
          const best = sn.node < 0 ? Infinity : Math.min(...perStation.map((dist) => (dist ? dist[sn.node]! + sn.m / walk : Infinity)))
          expect(net.noRoadMask[i]).toBe(sn.node < 0 ? 1 : 0)
          if (best === Infinity) expect(net.nearestS[i]).toBe(Infinity)
          else expect(net.nearestS[i]).toBeCloseTo(best, 6)
          expect(net.coveredMask[i]).toBe(best <= minutes * 60 ? 1 : 0)
          expect(cut.coveredMask[i]).toBe(net.coveredMask[i])
          if (best <= minutes * 60) covered += d.weight
        })
        expect(net.covered).toBe(covered)
        expect(cut.covered).toBe(covered)
      }
    }
  })

  it('feeds findGaps unchanged: each gap says how far by road its nearest cell is', () => {
    const cells = randomDemand('town-gaps', 116.315, 35.058, 12)
    const net = computeNetworkCoverage(cells, [riverStation], graph, { mode: 'ebike', minutes: 5 })
    const gaps = findGaps(cells, net, { minCellDemand: 0 })
    expect(gaps.length).toBeGreaterThan(0)
    for (const g of gaps) {
      const members = cells.map((c, i) => [c, i] as const).filter(([c]) => g.cells.includes(c.h3))
      const nearest = Math.min(...members.map(([, i]) => net.nearestM[i]!))
      expect(g.nearest_station_m).toBe(Number.isFinite(nearest) ? nearest : null)
    }
    // by road is never shorter than the straight line; across the river it is round by the bridge
    cells.forEach((c, i) => {
      if (Number.isFinite(net.nearestM[i])) expect(net.nearestM[i]).toBeGreaterThanOrEqual(greatCircleDistance([c.lon, c.lat], [riverStation.lon, riverStation.lat]) - 1e-6)
    })
    const across = cells.findIndex((c) => c.lat > 35.0615 && c.lon < 116.302)
    expect(net.nearestM[across]).toBeGreaterThan(3 * greatCircleDistance([cells[across]!.lon, cells[across]!.lat], [riverStation.lon, riverStation.lat]))
  })
})
