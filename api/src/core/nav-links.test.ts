import { describe, expect, it } from 'vitest'
import { toWgs84 } from './crs.ts'
import { greatCircleDistance } from './great-circle-distance.ts'
import { navLinks } from './nav-links.ts'

/**
 * An independent oracle: the published GCJ-02 forward formula (Krasovsky ellipsoid, as in the
 * widely copied eviltransform / coordtransform code) and Baidu's BD-09 formula. If gcoord and this
 * disagree, one of them would put riders off the stop.
 */
const A = 6378245.0
const EE = 0.00669342162296594323
function tLat(x: number, y: number) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}
function tLon(x: number, y: number) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}
function oracleGcj([lon, lat]: [number, number]): [number, number] {
  let dLat = tLat(lon - 105, lat - 35)
  let dLon = tLon(lon - 105, lat - 35)
  const rad = (lat / 180) * Math.PI
  let magic = Math.sin(rad)
  magic = 1 - EE * magic * magic
  const sq = Math.sqrt(magic)
  dLat = (dLat * 180) / (((A * (1 - EE)) / (magic * sq)) * Math.PI)
  dLon = (dLon * 180) / ((A / sq) * Math.cos(rad) * Math.PI)
  return [lon + dLon, lat + dLat]
}
function oracleBd([lon, lat]: [number, number]): [number, number] {
  const X = (Math.PI * 3000) / 180
  const z = Math.sqrt(lon * lon + lat * lat) + 0.00002 * Math.sin(lat * X)
  const th = Math.atan2(lat, lon) + 0.000003 * Math.cos(lon * X)
  return [z * Math.cos(th) + 0.0065, z * Math.sin(th) + 0.006]
}

function amapPosition(url: string): [number, number] {
  const u = new URL(url)
  expect(u.origin + u.pathname).toBe('https://uri.amap.com/marker')
  expect(u.searchParams.get('coordinate')).toBe('gaode')
  const [lon, lat] = u.searchParams.get('position')!.split(',').map(Number)
  return [lon!, lat!]
}
function baiduLocation(url: string): [number, number] {
  const u = new URL(url)
  expect(u.origin + u.pathname).toBe('https://api.map.baidu.com/marker')
  expect(u.searchParams.get('coord_type')).toBe('bd09ll')
  // Baidu wants latitude first
  const [lat, lon] = u.searchParams.get('location')!.split(',').map(Number)
  return [lon!, lat!]
}

// WGS-84 points in the programme places (county seats and a station-like point) plus Beijing.
const POINTS: [string, [number, number]][] = [
  ['金乡县 centre', [116.311, 35.067]],
  ['南城县 seat', [116.637, 27.569]],
  ['爱辉区 (黑河)', [127.489424, 50.246896]],
  ['天安门', [116.3975, 39.9087]],
]

describe('navLinks', () => {
  it.each(POINTS)('puts the Amap marker at the GCJ-02 position of %s, longitude first', (_name, wgs) => {
    const got = amapPosition(navLinks(wgs, { name: 'x' }).amap)
    const want = oracleGcj(wgs)
    expect(greatCircleDistance(got, want)).toBeLessThan(0.5)
    // and back: converting the link's GCJ-02 to WGS-84 lands on the stop
    expect(greatCircleDistance(toWgs84(got, 'GCJ02'), wgs)).toBeLessThan(0.5)
  })

  it.each(POINTS)('puts the Baidu marker at the BD-09 position of %s, latitude first', (_name, wgs) => {
    const got = baiduLocation(navLinks(wgs, { name: 'x' }).baidu)
    const want = oracleBd(oracleGcj(wgs))
    expect(greatCircleDistance(got, want)).toBeLessThan(0.5)
    expect(greatCircleDistance(toWgs84(got, 'BD09'), wgs)).toBeLessThan(1)
  })

  it('moves the marker by the expected hundreds of metres at 金乡县 (a missing conversion would show)', () => {
    const wgs: [number, number] = [116.311, 35.067]
    const links = navLinks(wgs)
    const gcjOffset = greatCircleDistance(amapPosition(links.amap), wgs)
    const bdOffset = greatCircleDistance(baiduLocation(links.baidu), wgs)
    expect(gcjOffset).toBeGreaterThan(200)
    expect(gcjOffset).toBeLessThan(800)
    expect(bdOffset).toBeGreaterThan(gcjOffset) // BD-09 adds ≈ 1 km more on top of GCJ-02
    expect(bdOffset).toBeLessThan(2000)
  })

  it('matches a published reference pair (WGS-84 → GCJ-02 near Tiananmen)', () => {
    // widely quoted: WGS-84 116.404, 39.915 ↔ GCJ-02 116.410244, 39.916404
    const got = amapPosition(navLinks([116.404, 39.915]).amap)
    expect(got[0]).toBeCloseTo(116.410244, 5)
    expect(got[1]).toBeCloseTo(39.916404, 5)
  })

  it('writes a WGS-84 geo: URI, latitude first, with the label', () => {
    const { geo } = navLinks([116.311, 35.067], { name: '金乡 驿站' })
    expect(geo).toBe(`geo:35.067000,116.311000?q=35.067000,116.311000(${encodeURIComponent('金乡 驿站')})`)
  })

  it('names the marker and identifies the caller to Baidu', () => {
    const { amap, baidu } = navLinks([116.311, 35.067], { name: '蒜都骑士爱心驿站 & 1号' })
    expect(new URL(amap).searchParams.get('name')).toBe('蒜都骑士爱心驿站 & 1号')
    expect(new URL(baidu).searchParams.get('title')).toBe('蒜都骑士爱心驿站 & 1号')
    expect(new URL(baidu).searchParams.get('src')).toBe('webapp.stationatlas.rider')
  })

  it('fails fast on a non-finite coordinate', () => {
    expect(() => navLinks([Number.NaN, 35])).toThrow(/finite/)
  })
})
