import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { buildRoadGraph } from './network-graph.ts'
import { snapToRoad } from './network-snap.ts'
import { loadTown, oracleSnap } from './test/town.ts'

const { graph } = await loadTown()

describe('snapToRoad', () => {
  it('picks the nearest usable node, exactly as a scan of every node does, up to 300 m', () => {
    const rng = seedrandom('snap')
    const points = Array.from({ length: 2000 }, () => ({ lon: 116.29 + rng() * 0.05, lat: 35.04 + rng() * 0.036 }))
    for (const mode of ['ebike', 'foot'] as const) {
      const snap = snapToRoad(graph, mode, points)
      let none = 0
      points.forEach((p, i) => {
        const o = oracleSnap(graph.lon, graph.lat, graph.modes[mode].usable, p)
        expect(snap.node[i]).toBe(o.node)
        if (o.node < 0) none++
        else expect(snap.distanceM[i]).toBeCloseTo(o.m, 9)
      })
      expect(none).toBeGreaterThan(50) // the sample reaches beyond the town
    }
  })

  it('counts exactly 300 m as reached and just beyond as no road access', () => {
    const [lon, lat] = [116.3, 35.05] // grid node (0, 0), the south-west corner
    const south = (m: number) => ({ lon, lat: lat - (m / 6371008.7714) * (180 / Math.PI) })
    const snap = snapToRoad(graph, 'foot', [south(299.999), south(300.001)])
    expect(snap.node[0]).toBeGreaterThanOrEqual(0)
    expect(snap.node[1]).toBe(-1)
    expect(snap.distanceM[1]).toBe(Infinity)
    expect(snapToRoad(graph, 'foot', [south(50)], { maxM: 40 }).node[0]).toBe(-1)
  })

  it('never snaps e-bike points to the footway’s walk-only nodes, and finds nothing on an empty graph', () => {
    const mid = { lon: 116.3 + (0.005 * 3) / 7, lat: 35.05 + (0.004 * 3) / 7 } // a split point of the footway, ≥ 150 m from any street node
    const foot = snapToRoad(graph, 'foot', [mid])
    const ebike = snapToRoad(graph, 'ebike', [mid])
    expect(foot.distanceM[0]).toBeLessThan(0.01)
    expect(ebike.distanceM[0]).toBeGreaterThan(150)
    const empty = buildRoadGraph([], [], [])
    expect([...snapToRoad(empty, 'foot', [mid]).node]).toEqual([-1])
    expect(snapToRoad(graph, 'foot', []).node.length).toBe(0)
  })
})
