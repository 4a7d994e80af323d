import { describe, expect, it } from 'vitest'
import { greatCircleDistance } from './great-circle-distance.ts'
import { buildRoadNetwork } from './road-network-from-osm.ts'

const coords = new Map<number, [number, number]>([[1, [116.3, 35.05]], [2, [116.3, 35.0509]], [3, [116.302, 35.0509]], [4, [116.31, 35.06]]])
const coord = (id: number) => coords.get(id)

describe('buildRoadNetwork', () => {
  it('numbers nodes in order of first use, shares them between ways, and splits segments over 100 m', () => {
    const net = buildRoadNetwork([
      { id: 10, refs: [1, 2], tags: { highway: 'residential', name: 'A 路' } },
      { id: 11, refs: [2, 3], tags: { highway: 'residential', name: 'B', 'name:zh': '乙路' } },
    ], coord)
    expect(net.osmIds.slice(0, 2)).toEqual([1, 2])
    const ab = greatCircleDistance(coords.get(1)!, coords.get(2)!) // ≈ 100.1 m: two pieces
    expect(net.edges.filter((e) => e.way_id === 10).map((e) => e.length_m).reduce((a, b) => a + b)).toBeCloseTo(ab, 6)
    expect(net.edges.filter((e) => e.way_id === 10)).toHaveLength(2)
    expect(net.osmIds[2]).toBeNull() // the split point
    expect(net.edges.every((e) => e.length_m <= 100)).toBe(true)
    expect(net.edges.find((e) => e.way_id === 11)!.name).toBe('乙路')
    expect(net.edges.find((e) => e.way_id === 11)!.source).toBe(1) // node 2, shared
    expect(net.ways).toBe(2)
  })

  it('skips unusable ways, repeated nodes and references the file lacks (splitting the way there)', () => {
    const net = buildRoadNetwork([
      { id: 20, refs: [1, 1, 99, 2], tags: { highway: 'footway' } },
      { id: 21, refs: [3, 4], tags: { highway: 'motorway' } },
      { id: 22, refs: [3, 4], tags: { waterway: 'river' } },
    ], coord)
    expect(net.ways).toBe(1)
    expect(net.missingRefs).toBe(1)
    expect(net.edges).toHaveLength(0) // 1 → 1 is no segment; 99 is missing, so 1 and 2 are not joined
    expect(buildRoadNetwork([], coord)).toMatchObject({ osmIds: [], edges: [], ways: 0 })
    expect(() => buildRoadNetwork([], coord, { maxSegmentM: 0 })).toThrow(/maxSegmentM/)
  })
})
