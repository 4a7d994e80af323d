import { describe, expect, it } from 'vitest'
import { fromWgs84, toWgs84, type LonLat } from './crs.ts'

// Reference values: the README of wandergis/coordtransform (an independent implementation),
// whose examples all convert the point (116.404, 39.915) in Beijing.
const P: LonLat = [116.404, 39.915]
const REF = {
  wgs84togcj02: [116.41024449916938, 39.91640428150164],
  gcj02towgs84: [116.39775550083061, 39.91359571849836],
  gcj02tobd09: [116.41036949371029, 39.92133699351021],
  bd09togcj02: [116.39762729119315, 39.90865673957631],
} as const
const TOL_DEG = 1e-5

function expectClose(actual: LonLat, expected: LonLat, tol = TOL_DEG): void {
  expect(Math.abs(actual[0] - expected[0])).toBeLessThanOrEqual(tol)
  expect(Math.abs(actual[1] - expected[1])).toBeLessThanOrEqual(tol)
}

/** Metres between two nearby points (equirectangular; exact enough below a kilometre). */
function metresBetween(a: LonLat, b: LonLat): number {
  const rad = Math.PI / 180
  const x = (b[0] - a[0]) * rad * Math.cos(((a[1] + b[1]) / 2) * rad)
  const y = (b[1] - a[1]) * rad
  return Math.hypot(x, y) * 6371008.8
}

describe('crs', () => {
  it('converts WGS-84 to GCJ-02 like the reference implementation', () => {
    expectClose(fromWgs84(P, 'GCJ02'), REF.wgs84togcj02)
  })

  it('converts GCJ-02 to WGS-84 like the reference implementation', () => {
    expectClose(toWgs84(P, 'GCJ02'), REF.gcj02towgs84)
  })

  it('converts GCJ-02 to BD-09 (via WGS-84) like the reference implementation', () => {
    expectClose(fromWgs84(toWgs84(P, 'GCJ02'), 'BD09'), REF.gcj02tobd09)
  })

  it('converts BD-09 to GCJ-02 (via WGS-84) like the reference implementation', () => {
    expectClose(fromWgs84(toWgs84(P, 'BD09'), 'GCJ02'), REF.bd09togcj02)
  })

  it.each([
    ['Jinxiang', [116.31, 35.07]],
    ['Heihe', [127.5, 50.25]],
    ['Nancheng', [116.64, 27.56]],
    ['Beijing', [116.404, 39.915]],
  ] as const)('round-trips WGS→GCJ→WGS in %s within 1 m', (_name, wgs) => {
    const gcj = fromWgs84(wgs, 'GCJ02')
    expect(metresBetween(wgs, gcj)).toBeGreaterThan(100) // the offset is real (hundreds of metres)
    expect(metresBetween(wgs, toWgs84(gcj, 'GCJ02'))).toBeLessThan(1)
  })

  it('round-trips WGS→BD→WGS within 1 m', () => {
    const wgs: LonLat = [116.31, 35.07]
    expect(metresBetween(wgs, toWgs84(fromWgs84(wgs, 'BD09'), 'BD09'))).toBeLessThan(1)
  })

  it.each([
    ['London', [-0.1276, 51.5072]],
    ['New York', [-74.006, 40.7128]],
    ['Sydney', [151.2093, -33.8688]],
    ['Tokyo', [139.6917, 35.6895]],
  ] as const)('leaves %s unchanged: GCJ-02 is only offset inside China', (_name, p) => {
    expect(fromWgs84(p, 'GCJ02')).toEqual([p[0], p[1]])
    expect(toWgs84(p, 'GCJ02')).toEqual([p[0], p[1]])
  })

  it('returns the same point when the systems are equal', () => {
    expect(toWgs84(P, 'WGS84')).toEqual([P[0], P[1]])
  })

  it('rejects non-finite coordinates and unknown systems', () => {
    expect(() => toWgs84([Number.NaN, 30], 'GCJ02')).toThrow(/finite/)
    expect(() => toWgs84([116, 30], 'EPSG3857' as never)).toThrow(/unknown coordinate system/)
  })
})
