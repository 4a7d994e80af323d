import { latLngToCell } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { isOpenAt } from '../api/src/core/is-open-at.ts'
import { STATION_KINDS } from '../api/src/core/station-kinds.ts'
import { parseScaleDataArgs, readPopulationCells, scaleDemandPoints, scaleStations } from './scale-data.ts'

const cells = readPopulationCells()

describe('scale-data', () => {
  it('is deterministic for a seed and differs for another', () => {
    const a = [...scaleStations(cells, 200, 's1')]
    expect([...scaleStations(cells, 200, 's1')]).toEqual(a)
    expect([...scaleStations(cells, 200, 's2')]).not.toEqual(a)
  })

  it('spreads stations over the counties in proportion to modelled population, each inside a populated cell', () => {
    const n = 5_000
    const stations = [...scaleStations(cells, n)]
    const byCell = new Map(cells.map((c) => [c.h3, c]))
    const people = new Map<string, number>()
    for (const c of cells) people.set(c.region_code, (people.get(c.region_code) ?? 0) + c.weight)
    const total = [...people.values()].reduce((s, w) => s + w, 0)
    const counts = new Map<string, number>()
    const outside = stations.filter((s) => byCell.get(latLngToCell(s.lat, s.lon, 9))?.region_code !== s.region_code)
    expect(outside).toEqual([])
    for (const s of stations) counts.set(s.region_code, (counts.get(s.region_code) ?? 0) + 1)
    for (const [code, w] of people) {
      const expected = (n * w) / total
      // binomial: within 5 standard deviations
      expect(Math.abs((counts.get(code) ?? 0) - expected)).toBeLessThan(5 * Math.sqrt(expected))
    }
  })

  it('has all four kinds, parseable hours (2 % none), kind amenities and mostly active stations', () => {
    const stations = [...scaleStations(cells, 2_000)]
    expect(new Set(stations.map((s) => s.kind))).toEqual(new Set(STATION_KINDS))
    const at = new Date('2026-11-30T12:00:00+08:00')
    const noHours = stations.filter((s) => s.opening_hours === null).length
    expect(noHours / stations.length).toBeGreaterThan(0.01)
    expect(noHours / stations.length).toBeLessThan(0.03)
    const hours = new Set(stations.map((s) => s.opening_hours).filter((h) => h !== null))
    expect([...hours].filter((h) => isOpenAt(h, at) === null)).toEqual([])
    expect(stations.filter((s) => !s.amenities.includes('water'))).toEqual([])
    expect(stations.filter((s) => s.status === 'active').length / stations.length).toBeGreaterThan(0.93)
  })

  it('makes demand points that total the modelled population', () => {
    const points = scaleDemandPoints(cells, 1_000)
    const total = cells.reduce((s, c) => s + c.weight, 0)
    expect(points.reduce((s, p) => s + p.weight, 0)).toBeCloseTo(total, 3)
  })

  it('rejects a missing or bad --stations', () => {
    expect(() => parseScaleDataArgs([])).toThrow('--stations: must be a whole number')
    expect(() => parseScaleDataArgs(['--stations', '1.5'])).toThrow('--stations')
    expect(parseScaleDataArgs(['--remove']).remove).toBe(true)
    expect(parseScaleDataArgs(['--stations', '10', '--demand-cells', '5'])).toMatchObject({ stations: 10, demandCells: 5 })
  })
})
