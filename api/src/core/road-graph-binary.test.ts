import { describe, expect, it } from 'vitest'
import { networkDijkstra } from './network-dijkstra.ts'
import { buildRoadGraph } from './network-graph.ts'
import { decodeRoadGraph, encodeRoadGraph } from './road-graph-binary.ts'
import { loadTown } from './test/town.ts'

const { network, graph, node } = await loadTown()

describe('encodeRoadGraph / decodeRoadGraph', () => {
  it('round-trips the fixture town to within 1 cm and keeps every tag, at 8 bytes a node and 14 an edge plus the header', () => {
    const bytes = encodeRoadGraph(network.lon, network.lat, network.edges)
    const back = decodeRoadGraph(bytes)
    expect(back.edges.length).toBe(network.edges.length)
    expect(bytes.byteLength - (8 * network.lon.length + 14 * network.edges.length)).toBeLessThan(400)
    back.lon.forEach((x, i) => expect(Math.abs(x - network.lon[i]!)).toBeLessThan(1e-7))
    back.edges.forEach((e, i) => {
      const o = network.edges[i]!
      expect({ ...e, length_m: 0 }).toEqual({ source: o.source, target: o.target, class: o.class, foot: o.foot, ebike_forward: o.ebike_forward, ebike_backward: o.ebike_backward, length_m: 0 })
      expect(e.length_m).toBeCloseTo(o.length_m, 3)
    })
  })

  it('gives the same travel times as the server-side graph (one-way streets and the bridge included)', () => {
    const back = decodeRoadGraph(encodeRoadGraph(network.lon, network.lat, network.edges))
    const g = buildRoadGraph(back.lon, back.lat, back.edges)
    for (const mode of ['ebike', 'foot'] as const) {
      const a = networkDijkstra(graph, mode, [{ node: node(0, 2), seconds: 0, site: 0 }])
      const times = new Map([...a.nodes].map((v, k) => [v, a.seconds[k]!]))
      const b = networkDijkstra(g, mode, [{ node: node(0, 2), seconds: 0, site: 0 }])
      expect(b.nodes.length).toBe(a.nodes.length)
      b.nodes.forEach((v, k) => expect(b.seconds[k]).toBeCloseTo(times.get(v)!, 2))
    }
  })

  it('handles an empty graph and refuses bytes that are not one', () => {
    expect(decodeRoadGraph(encodeRoadGraph([], [], []))).toEqual({ lon: new Float64Array(0), lat: new Float64Array(0), edges: [] })
    expect(() => decodeRoadGraph(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]))).toThrow(/not a road graph/)
    const bytes = encodeRoadGraph(network.lon, network.lat, network.edges)
    expect(() => decodeRoadGraph(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/)
  })
})
