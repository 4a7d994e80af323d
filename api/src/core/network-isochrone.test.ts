import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { describe, expect, it } from 'vitest'
import { networkIsochrone } from './network-isochrone.ts'
import { networkDijkstra } from './network-dijkstra.ts'
import { at, loadTown } from './test/town.ts'

const { graph, node } = await loadTown()
const pt = (lon: number, lat: number) => ({ type: 'Point' as const, coordinates: [lon, lat] })

describe('networkIsochrone', () => {
  it('outlines the river station’s 5 minutes by e-bike on the south bank only', () => {
    const [lon, lat] = at(0, 2)
    const iso = networkIsochrone(graph, { lon, lat }, { mode: 'ebike', minutes: 5 })!
    expect(iso.geometry.type).toBe('Polygon')
    const ring = iso.geometry.coordinates[0]!
    expect(ring[0]).toEqual(ring.at(-1))
    // every reached node is inside (or on) the outline; nothing north of the river is
    const reached = networkDijkstra(graph, 'ebike', [{ node: node(0, 2), seconds: 0, site: 0 }], { cutoffS: 300 })
    expect(reached.nodes.length).toBe(iso.reached_nodes)
    expect(Math.max(...ring.map((p) => p[1]!))).toBeLessThan(35.06)
    for (const v of reached.nodes) expect(booleanPointInPolygon(pt(graph.lon[v]!, graph.lat[v]!), iso.geometry, { ignoreBoundary: false })).toBe(true)
    expect(booleanPointInPolygon(pt(...at(0, 3)), iso.geometry)).toBe(false)
    // 1500 m along roads: (3,2) at 1366 m is in, (4,2) at 1821 m is not
    expect(booleanPointInPolygon(pt(...at(3, 2)), iso.geometry, { ignoreBoundary: false })).toBe(true)
    expect(booleanPointInPolygon(pt(...at(4, 2)), iso.geometry)).toBe(false)
  })

  it('crosses the river where the bridge is in reach', () => {
    const [lon, lat] = at(4, 2)
    const iso = networkIsochrone(graph, { lon, lat }, { mode: 'ebike', minutes: 3 })!
    expect(booleanPointInPolygon(pt(...at(4, 3)), iso.geometry, { ignoreBoundary: false })).toBe(true)
    // RFC 7946 winding: exterior ring counter-clockwise
    const ring = iso.geometry.coordinates[0]!
    let area = 0
    for (let i = 0; i + 1 < ring.length; i++) area += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
    expect(area).toBeGreaterThan(0)
  })

  it('is null for an origin more than 300 m from any road, and a small polygon for a very short time', () => {
    expect(networkIsochrone(graph, { lon: 116.315, lat: 35.044 }, { mode: 'foot', minutes: 10 })).toBeNull()
    const [lon, lat] = at(2, 2)
    const tiny = networkIsochrone(graph, { lon, lat }, { mode: 'foot', minutes: 0.01 })!
    expect(tiny.geometry.coordinates[0]!.length).toBeGreaterThanOrEqual(4)
    expect(booleanPointInPolygon(pt(lon, lat), tiny.geometry)).toBe(true)
    expect(() => networkIsochrone(graph, { lon, lat }, { mode: 'foot', minutes: -1 })).toThrow(/minutes/)
  })
})
