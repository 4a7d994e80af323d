import { describe, expect, it } from 'vitest'
import { buildRoadGraph } from './network-graph.ts'
import { roadEdgeColumns } from './road-edge-columns.ts'
import { buildRoadGraphInSlices } from './road-graph-in-slices.ts'
import { gridNetwork } from './test/grid-network.ts'

describe('buildRoadGraphInSlices', () => {
  it('yields between slices and ends with the graph buildRoadGraph builds in one go', () => {
    const g = gridNetwork(20)
    const steps = buildRoadGraphInSlices(g.lon, g.lat, roadEdgeColumns(g.edges), { slice: 50 })
    let yields = 0
    let r = steps.next()
    for (; !r.done; r = steps.next()) yields++
    // 760 edges: one check pass and two passes per mode, a yield every 50 edges of each
    expect(yields).toBe(5 * Math.floor(g.edges.length / 50))
    const once = buildRoadGraph(g.lon, g.lat, g.edges)
    expect(r.value.bytes).toBe(once.bytes)
    for (const mode of ['ebike', 'foot'] as const) expect([...r.value.modes[mode].seconds]).toEqual([...once.modes[mode].seconds])
  })

  it('puts every array on the buffers it is given', () => {
    const g = gridNetwork(3)
    const steps = buildRoadGraphInSlices(g.lon, g.lat, roadEdgeColumns(g.edges), { buffer: (n) => new SharedArrayBuffer(n) })
    let r = steps.next()
    while (!r.done) r = steps.next()
    expect(r.value.lon.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(r.value.modes.foot.usable.buffer).toBeInstanceOf(SharedArrayBuffer)
  })

  it('refuses a slice below 1 and a class index outside the classes', () => {
    expect(() => buildRoadGraphInSlices([0], [0], roadEdgeColumns([]), { slice: 0 }).next()).toThrow(/slice must be ≥ 1/)
    const cols = roadEdgeColumns([{ source: 0, target: 0, length_m: 1, class: 'residential', foot: true, ebike_forward: true, ebike_backward: true }])
    cols.classIndex[0] = 3
    expect(() => buildRoadGraphInSlices([0], [0], cols).next()).toThrow(/class index 3/)
  })
})
