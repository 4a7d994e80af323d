import seedrandom from 'seedrandom'
import { describe, expect, it } from 'vitest'
import { buildRoadGraph } from './network-graph.ts'
import { networkDijkstra } from './network-dijkstra.ts'
import type { RoadEdge, TravelMode } from './road-types.ts'
import { loadTown, metres, MPS, oracleSeconds } from './test/town.ts'

const town = await loadTown()
const { graph, network, node } = town

/** seconds to every node from grid node (x, y), as a dense array */
function from(mode: TravelMode, x: number, y: number, cutoffS?: number) {
  const r = networkDijkstra(graph, mode, [{ node: node(x, y), seconds: 0, site: 0 }], { cutoffS })
  const s = new Float64Array(graph.nodeCount).fill(Infinity)
  r.nodes.forEach((v, k) => (s[v] = r.seconds[k]!))
  return s
}

describe('networkDijkstra on the fixture town', () => {
  it('gives hand-checked e-bike times along residential streets and the primary road', () => {
    const s = from('ebike', 0, 2)
    expect(s[node(1, 2)]).toBeCloseTo(metres([0, 2], [1, 2]) / MPS.residential, 6)
    expect(s[node(0, 0)]).toBeCloseTo((2 * metres([0, 2], [0, 1])) / MPS.residential, 6)
    // (0,0) → (6,0) along 金山大道 at 25 km/h (the street follows the parallel, 10 µm longer than the great circle)
    expect(from('ebike', 0, 0)[node(6, 0)]).toBeCloseTo(metres([0, 0], [6, 0]) / MPS.primary, 4)
  })

  it('crosses the river only on the bridge: the motorway bridge is closed to e-bikes and walkers', () => {
    const around = 2 * metres([6, 2], [5, 2]) + metres([4, 2], [4, 3]) + 2 * metres([6, 3], [5, 3])
    expect(from('ebike', 6, 2)[node(6, 3)]).toBeCloseTo(around / MPS.residential, 6)
    expect(from('foot', 6, 2)[node(6, 3)]).toBeCloseTo(around / MPS.foot, 6)
  })

  it('keeps e-bikes to the one-way street’s direction and lets walkers go both ways', () => {
    // (1,1) → (0,1) against 单行街: round by 金山大道, (1,1)→(1,0)→(0,0)→(0,1)
    const round = (2 * metres([1, 1], [1, 0])) / MPS.residential + metres([1, 0], [0, 0]) / MPS.primary
    expect(from('ebike', 1, 1)[node(0, 1)]).toBeCloseTo(round, 6)
    expect(from('ebike', 0, 1)[node(1, 1)]).toBeCloseTo(metres([0, 1], [1, 1]) / MPS.residential, 6)
    expect(from('foot', 1, 1)[node(0, 1)]).toBeCloseTo(metres([1, 1], [0, 1]) / MPS.foot, 6)
  })

  it('lets walkers take the footway and keeps e-bikes and everyone off the private road', () => {
    expect(from('foot', 0, 0)[node(1, 1)]).toBeCloseTo(metres([0, 0], [1, 1]) / MPS.foot, 6)
    expect(from('ebike', 0, 0)[node(1, 1)]).toBeGreaterThan(metres([0, 0], [1, 0]) / MPS.primary + metres([1, 0], [1, 1]) / MPS.residential - 1e-6)
    // round the block by the shorter side (row 1 lies farther north, so its blocks are a little shorter)
    expect(from('foot', 2, 0)[node(3, 1)]).toBeCloseTo((metres([2, 0], [2, 1]) + metres([2, 1], [3, 1])) / MPS.foot, 6)
  })

  it('equals a plain O(V²) Dijkstra from every grid node, both modes, several sources at once', () => {
    for (const mode of ['ebike', 'foot'] as const) {
      for (let y = 0; y < 5; y++) {
        for (let x = 0; x < 7; x++) {
          const sources = [{ node: node(x, y), seconds: 0, site: 0 }, { node: node((x + 3) % 7, 4 - y), seconds: 40, site: 1 }]
          const oracle = oracleSeconds(graph.nodeCount, network.edges, mode, sources)
          const r = networkDijkstra(graph, mode, sources)
          const ours = new Float64Array(graph.nodeCount).fill(Infinity)
          r.nodes.forEach((v, k) => (ours[v] = r.seconds[k]!))
          for (let v = 0; v < graph.nodeCount; v++) {
            if (oracle[v] === Infinity) expect(ours[v]).toBe(Infinity)
            else expect(Math.abs(ours[v]! - oracle[v]!)).toBeLessThan(1e-9 * (1 + oracle[v]!))
          }
        }
      }
    }
  })

  it('stops at the cutoff, inclusive, and returns nodes fastest first', () => {
    const all = from('ebike', 0, 2)
    const r = networkDijkstra(graph, 'ebike', [{ node: node(0, 2), seconds: 0, site: 7 }], { cutoffS: 300 })
    const expected = [...all].filter((s) => s <= 300).length
    expect(r.nodes.length).toBe(expected)
    expect([...r.seconds].every((s, k) => s <= 300 && (k === 0 || s >= r.seconds[k - 1]!))).toBe(true)
    expect(new Set(r.site)).toEqual(new Set([7]))
    // the river station's 5 minutes never reach the north bank
    expect(all[node(0, 3)]).toBeGreaterThan(300)
    expect([...r.nodes].every((v) => graph.lat[v]! < 35.06)).toBe(true)
  })

  it('reports road metres and the source of each node’s fastest path', () => {
    const r = networkDijkstra(graph, 'foot', [{ node: node(0, 0), seconds: 0, site: 0 }, { node: node(6, 4), seconds: 0, site: 1 }])
    const k = [...r.nodes].indexOf(node(1, 0))
    expect(r.site[k]).toBe(0)
    expect(r.metres[k]).toBeCloseTo(metres([0, 0], [1, 0]), 6)
    expect(r.site[[...r.nodes].indexOf(node(6, 3))]).toBe(1)
  })

  it('returns nothing for no sources and refuses a node outside the graph or a negative cutoff', () => {
    expect(networkDijkstra(graph, 'foot', []).nodes.length).toBe(0)
    expect(() => networkDijkstra(graph, 'foot', [{ node: graph.nodeCount, seconds: 0, site: 0 }])).toThrow(/outside/)
    expect(() => networkDijkstra(graph, 'foot', [{ node: 0, seconds: 0, site: 0 }], { cutoffS: -1 })).toThrow(/cutoffS/)
    // a refused call leaves the scratch arrays clean
    expect(from('foot', 0, 0)[node(1, 0)]).toBeCloseTo(metres([0, 0], [1, 0]) / MPS.foot, 6)
  })
})

describe('networkDijkstra on random graphs', () => {
  it('equals the O(V²) oracle on seeded random directed graphs with zero-length edges', () => {
    for (let seed = 0; seed < 20; seed++) {
      const rng = seedrandom(`dijkstra-${seed}`)
      const n = 30 + Math.floor(rng() * 50)
      const lon = Array.from({ length: n }, () => 116 + rng() * 0.05)
      const lat = Array.from({ length: n }, () => 35 + rng() * 0.05)
      const classes = ['primary', 'residential', 'footway', 'steps', 'trunk', 'motorway', 'service']
      const edges: RoadEdge[] = Array.from({ length: n * 2 }, () => {
        const fwd = rng() < 0.8
        return {
          source: Math.floor(rng() * n), target: Math.floor(rng() * n), length_m: rng() < 0.05 ? 0 : rng() * 900,
          class: classes[Math.floor(rng() * classes.length)]!, foot: rng() < 0.8, ebike_forward: fwd, ebike_backward: !fwd || rng() < 0.5,
        }
      })
      const g = buildRoadGraph(lon, lat, edges)
      for (const mode of ['ebike', 'foot'] as const) {
        const sources = [{ node: 0, seconds: 0, site: 0 }, { node: n - 1, seconds: 30, site: 1 }]
        const oracle = oracleSeconds(n, edges, mode, sources)
        const r = networkDijkstra(g, mode, sources, { cutoffS: 400 })
        const ours = new Float64Array(n).fill(Infinity)
        r.nodes.forEach((v, k) => (ours[v] = r.seconds[k]!))
        for (let v = 0; v < n; v++) {
          if (oracle[v]! > 400) expect(ours[v]).toBe(Infinity)
          else expect(ours[v]).toBeCloseTo(oracle[v]!, 9)
        }
      }
    }
  })
})
