import { readFileSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import type { Feature, FeatureCollection, MultiPolygon, Position } from 'geojson'
import { describe, expect, it } from 'vitest'
import type { RegionProperties } from '../scripts/build-regions.ts'

const FILE = fileURLToPath(new URL('./regions.geojson', import.meta.url))
/** The page loads this file at start-up: keep it well under ~1.5 MB. */
const SIZE_BUDGET_BYTES = 1_000_000

type Region = Feature<MultiPolygon, RegionProperties>

const fc = JSON.parse(readFileSync(FILE, 'utf8')) as FeatureCollection<MultiPolygon, RegionProperties>
const byCode = new Map(fc.features.map((f) => [f.properties.code, f as Region]))
const counties = fc.features.filter((f) => f.properties.level === 'county')
const cities = fc.features.filter((f) => f.properties.level === 'city')

const REQUIRED: Record<string, string> = {
  '231100': '黑河市', '231102': '爱辉区', '231123': '逊克县', '231124': '孙吴县',
  '231181': '北安市', '231182': '五大连池市', '231183': '嫩江市',
  '370800': '济宁市', '370828': '金乡县', '361000': '抚州市', '361021': '南城县',
}
const FOCUS = ['231100', '231102', '231123', '231124', '231181', '231182', '231183', '361021', '370828']

/** Twice the signed planar area of a ring: > 0 for counter-clockwise (RFC 7946 exterior rings). */
function signedArea2(ring: Position[]): number {
  let s = 0
  for (let i = 0; i + 1 < ring.length; i++) s += ring[i]![0]! * ring[i + 1]![1]! - ring[i + 1]![0]! * ring[i]![1]!
  return s
}

/** Each ring's edges as "x,y>x,y" strings, in ring order. */
function edges(f: Region): string[] {
  const out: string[] = []
  for (const poly of f.geometry.coordinates)
    for (const ring of poly) for (let i = 0; i + 1 < ring.length; i++) out.push(`${ring[i]}>${ring[i + 1]}`)
  return out
}
const reversed = (e: string) => e.split('>').reverse().join('>')

describe('data/regions.geojson', () => {
  it('is an RFC 7946 FeatureCollection of MultiPolygons with closed rings', () => {
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features.length).toBeGreaterThan(0)
    for (const f of fc.features) {
      expect(f.type).toBe('Feature')
      expect(f.id).toBe(f.properties.code)
      expect(f.geometry.type).toBe('MultiPolygon')
      expect(f.geometry.coordinates.length).toBeGreaterThan(0)
      for (const poly of f.geometry.coordinates) {
        poly.forEach((ring, i) => {
          expect(ring.length).toBeGreaterThanOrEqual(4)
          expect(ring[0]).toEqual(ring[ring.length - 1])
          // right-hand rule: exterior counter-clockwise, holes clockwise
          expect(Math.sign(signedArea2(ring))).toBe(i === 0 ? 1 : -1)
        })
      }
    }
  })

  it('has WGS-84 lon/lat inside China, rounded to at most 6 decimals', () => {
    // One assertion over the list of offending positions: ~6 expect() calls per vertex took >5 s on a loaded machine.
    const decimals = (v: number) => String(v).split('.')[1]?.length ?? 0
    const bad: string[] = []
    let vertices = 0
    for (const f of fc.features)
      for (const poly of f.geometry.coordinates)
        for (const ring of poly)
          for (const [lon, lat] of ring) {
            vertices++
            if (!(lon! >= 73 && lon! <= 135.1 && lat! >= 18 && lat! <= 53.6) || decimals(lon!) > 6 || decimals(lat!) > 6) bad.push(`${f.properties.code}: ${lon},${lat}`)
          }
    expect(vertices).toBeGreaterThan(1000)
    expect(bad.slice(0, 10)).toEqual([])
  })

  it('is sorted by code with unique six-digit codes and complete properties', () => {
    const codes = fc.features.map((f) => f.properties.code)
    expect(codes).toEqual([...codes].sort())
    expect(new Set(codes).size).toBe(codes.length)
    for (const f of fc.features) {
      const p = f.properties
      expect(Object.keys(p).sort()).toEqual(['code', 'focus', 'label_lat', 'label_lon', 'level', 'name', 'name_en', 'parent_code'])
      expect(p.code).toMatch(/^\d{6}$/)
      expect(p.name).toMatch(/[区县市]$/)
      expect(p.name_en).toMatch(/^[A-Z][A-Za-z' ]+$/)
      expect(typeof p.focus).toBe('boolean')
    }
  })

  it('has the programme regions with their current GB/T 2260 names', () => {
    for (const [code, name] of Object.entries(REQUIRED)) expect(byCode.get(code)?.properties.name, code).toBe(name)
    expect(byCode.get('231121')).toBeUndefined() // 嫩江县 became 嫩江市 231183 in 2019
    expect(byCode.get('231183')?.properties.name_en).toBe('Nenjiang')
    expect(byCode.get('370828')?.properties.name_en).toBe('Jinxiang County')
    expect(byCode.get('231102')?.properties.name_en).toBe('Aihui District')
  })

  it('has the six divisions of 黑河市 and every county of 济宁市 and 抚州市', () => {
    const under = (city: string) => counties.filter((f) => f.properties.parent_code === city).map((f) => f.properties.code)
    expect(under('231100')).toEqual(['231102', '231123', '231124', '231181', '231182', '231183'])
    expect(under('370800')).toHaveLength(11)
    expect(under('361000')).toHaveLength(11)
    expect(cities.map((f) => f.properties.code)).toEqual(['231100', '361000', '370800'])
  })

  it('links counties to their city and cities to their province', () => {
    for (const f of counties) {
      const parent = byCode.get(f.properties.parent_code)
      expect(parent?.properties.level).toBe('city')
      expect(f.properties.code.slice(0, 4)).toBe(f.properties.parent_code.slice(0, 4))
    }
    for (const f of cities) expect(f.properties.parent_code).toBe(`${f.properties.code.slice(0, 2)}0000`)
  })

  it('marks exactly the programme places as focus', () => {
    expect(fc.features.filter((f) => f.properties.focus).map((f) => f.properties.code)).toEqual(FOCUS)
  })

  it('puts every label point inside its own polygon', () => {
    for (const f of fc.features) {
      expect(booleanPointInPolygon([f.properties.label_lon, f.properties.label_lat], f), f.properties.code).toBe(true)
    }
  })

  it('keeps shared borders shared: each county edge is on one neighbour or on its city outline', () => {
    for (const city of cities) {
      const outline = new Set(edges(city))
      const members = counties.filter((f) => f.properties.parent_code === city.properties.code)
      const count = new Map<string, number>()
      for (const f of members) for (const e of edges(f)) count.set(e, (count.get(e) ?? 0) + 1)
      const onOutline = new Set<string>()
      for (const [e, n] of count) {
        expect(n, e).toBe(1) // no two counties run the same edge in the same direction (overlap)
        if (count.has(reversed(e))) continue // interior border, shared by a neighbour
        expect(outline.has(e), `${city.properties.code}: edge ${e} is on neither a neighbour nor the outline`).toBe(true)
        onOutline.add(e)
      }
      expect(onOutline.size).toBe(outline.size) // and the outline is made only of county edges
    }
  })

  it('is under the size budget', () => {
    expect(statSync(FILE).size).toBeLessThan(SIZE_BUDGET_BYTES)
  })

  // GCJ-02 → WGS-84 sanity check: known WGS-84 places (county seats) fall in their own county only.
  // The GCJ offset is ≈ 500–700 m here, so a skipped conversion shows up first along borders.
  it.each([
    ['370828', '金乡县 county seat', [116.31, 35.07]],
    ['361021', '南城县 county seat', [116.633, 27.572]],
    ['231102', '黑河市 city centre', [127.49, 50.24]],
    ['231123', '逊克县 county seat', [128.471, 49.562]],
    ['231124', '孙吴县 county seat', [127.329, 49.423]],
    ['231181', '北安市 city centre', [126.484, 48.239]],
    ['231182', '五大连池市 seat', [126.199, 48.515]],
    ['231183', '嫩江市 city centre', [125.214, 49.184]],
  ] as const)('contains %s (%s)', (code, _what, point) => {
    const inside = counties.filter((f) => booleanPointInPolygon([point[0], point[1]], f)).map((f) => f.properties.code)
    expect(inside).toEqual([code])
  })
})
