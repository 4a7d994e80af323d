import { describe, expect, it } from 'vitest'
import { greatCircleDistance } from './great-circle-distance.ts'
import { initialBearing } from './initial-bearing.ts'

describe('greatCircleDistance', () => {
  it('is zero for the same point', () => {
    expect(greatCircleDistance([116.3, 35.07], [116.3, 35.07])).toBe(0)
  })
  it('matches PostGIS ST_Distance(geography, geography, false) Beijing–Shanghai', () => {
    // 1070976.70980935 m, from PGlite's PostGIS 3.6 with use_spheroid = false
    expect(greatCircleDistance([116.3, 39.9], [121.47, 31.23])).toBeCloseTo(1070976.7098, 3)
  })
  it('gives 1° of latitude as ~111.2 km', () => {
    expect(greatCircleDistance([116, 35], [116, 36])).toBeCloseTo(111195.08, 1)
  })
  it('stays finite for antipodal points', () => {
    expect(greatCircleDistance([0, 0], [180, 0])).toBeCloseTo(Math.PI * 6371008.7714, 3)
  })
})

describe('initialBearing', () => {
  it('points north, east, south and west', () => {
    expect(initialBearing([116.3, 35], [116.3, 35.1])).toBeCloseTo(0, 6)
    expect(initialBearing([116.3, 35], [116.4, 35])).toBeCloseTo(90, 0)
    expect(initialBearing([116.3, 35], [116.3, 34.9])).toBeCloseTo(180, 6)
    expect(initialBearing([116.3, 35], [116.2, 35])).toBeCloseTo(270, 0)
  })
})
