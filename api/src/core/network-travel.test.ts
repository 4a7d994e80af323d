import { describe, expect, it } from 'vitest'
import { travelFrom } from './network-travel.ts'
import { ACCESS_SPEED_KMH } from './road-speeds.ts'
import { at, loadTown, oracleSeconds, oracleSnap } from './test/town.ts'

const { graph, network } = await loadTown()
const walk = ACCESS_SPEED_KMH / 3.6

describe('travelFrom on the fixture town', () => {
  const rider = { lon: at(0, 2)[0] + 0.0004, lat: at(0, 2)[1] + 0.0002 }
  const stops = [at(2, 2), at(0, 3), at(3, 3), at(0, 1), [116.315, 35.044] as [number, number]].map(([lon, lat]) => ({ lon, lat }))

  it('equals a textbook Dijkstra from the rider, walks included, for both modes (the river makes the north bank far)', () => {
    for (const mode of ['ebike', 'foot'] as const) {
      const r = travelFrom(graph, rider, stops, { mode })
      const usable = graph.modes[mode].usable
      const o = oracleSnap(graph.lon, graph.lat, usable, rider)
      const dist = oracleSeconds(graph.nodeCount, network.edges, mode, [{ node: o.node, seconds: o.m / walk }])
      stops.forEach((s, i) => {
        const t = oracleSnap(graph.lon, graph.lat, usable, s)
        const expected = t.node < 0 ? Infinity : dist[t.node]! + t.m / walk
        if (expected === Infinity) expect(r.seconds[i]).toBe(Infinity)
        else expect(r.seconds[i]).toBeCloseTo(expected, 6)
      })
      // (0,3) is 445 m away in a straight line but across the river: kilometres by road
      expect(r.metres[1]).toBeGreaterThan(4000)
      expect(r.seconds[4]).toBe(Infinity) // no road access
    }
  })

  it('gives nothing from a rider with no road within 300 m, and handles no targets', () => {
    const r = travelFrom(graph, { lon: 116.315, lat: 35.044 }, stops, { mode: 'ebike' })
    expect([...r.seconds].every((s) => s === Infinity)).toBe(true)
    expect(travelFrom(graph, rider, [], { mode: 'foot' }).seconds.length).toBe(0)
  })
})
