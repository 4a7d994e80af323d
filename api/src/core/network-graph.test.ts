import { describe, expect, it } from 'vitest'
import { buildRoadGraph } from './network-graph.ts'
import type { RoadEdge } from './road-types.ts'

const edge = (source: number, target: number, extra: Partial<RoadEdge> = {}): RoadEdge => ({
  source, target, length_m: 360, class: 'residential', foot: true, ebike_forward: true, ebike_backward: true, ...extra,
})

describe('buildRoadGraph', () => {
  it('builds compressed rows per mode with seconds from the speed table', () => {
    const g = buildRoadGraph([0, 1, 2], [0, 0, 0], [edge(0, 1), edge(1, 2, { class: 'primary', ebike_backward: false })])
    const e = g.modes.ebike
    expect([...e.offsets]).toEqual([0, 1, 3, 3]) // node 2 has no e-bike arc out: 1 → 2 is one-way
    expect([...e.targets.subarray(e.offsets[1]!, e.offsets[2]!)].sort()).toEqual([0, 2])
    expect(e.seconds[0]).toBeCloseTo(360 / 5, 12) // 18 km/h = 5 m/s
    expect([...e.usable]).toEqual([1, 1, 1])
    const f = g.modes.foot
    expect([...f.offsets]).toEqual([0, 1, 3, 4])
    expect(f.seconds[0]).toBeCloseTo(360 / (4.8 / 3.6), 9)
    expect(g.bytes).toBeGreaterThan(0)
  })

  it('gives a class without a speed for the mode no arc, and a walk-only edge no e-bike arc', () => {
    const g = buildRoadGraph([0, 1, 2], [0, 0, 0], [edge(0, 1, { class: 'trunk' }), edge(1, 2, { class: 'footway', ebike_forward: false, ebike_backward: false })])
    expect(g.modes.ebike.targets.length).toBe(0)
    expect([...g.modes.ebike.usable]).toEqual([0, 0, 0])
    expect(g.modes.foot.targets.length).toBe(4)
  })

  it('builds an empty graph and refuses edges to missing nodes or negative lengths', () => {
    expect(buildRoadGraph([], [], []).nodeCount).toBe(0)
    expect(() => buildRoadGraph([0], [0], [edge(0, 1)])).toThrow(/outside/)
    expect(() => buildRoadGraph([0, 1], [0, 0], [edge(0, 1, { length_m: -1 })])).toThrow(/length_m/)
    expect(() => buildRoadGraph([0, 1], [0], [])).toThrow(/lat/)
  })
})
