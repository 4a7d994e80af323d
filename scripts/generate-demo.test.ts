import { readFileSync } from 'node:fs'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import type { FeatureCollection, MultiPolygon } from 'geojson'
import OpeningHours from 'opening_hours'
import { describe, expect, it } from 'vitest'
import { AMENITIES, STATION_KINDS, STATION_STATUSES } from '../api/src/core/station-kinds.ts'
import { DEMO_FILE, DEMO_SEED, REGIONS_FILE, generateDemo, serializeDemo } from './generate-demo.ts'

const regions = JSON.parse(readFileSync(REGIONS_FILE, 'utf8')) as FeatureCollection<MultiPolygon, { code: string; level: string }>
const counties = regions.features.filter((f) => f.properties.level === 'county')
const demo = generateDemo(regions, DEMO_SEED)
const stations = demo.features.map((f) => f.properties)

const programmes = JSON.parse(readFileSync(new URL('../data/programmes.json', import.meta.url), 'utf8')) as {
  programmes: { region_code: string; figures: { key: string; value: number }[] }[]
}
const figure = (region: string, key: string) => {
  const f = programmes.programmes.find((p) => p.region_code === region)?.figures.find((x) => x.key === key)
  if (!f) throw new Error(`programmes.json has no ${region} ${key}`)
  return f.value
}
const count = (where: (s: (typeof stations)[number]) => boolean) => stations.filter(where).length
const HEIHE = ['231102', '231123', '231124', '231181', '231182', '231183']

describe('generateDemo', () => {
  it('reproduces the committed data/demo/stations.geojson exactly', () => {
    expect(serializeDemo(demo)).toBe(readFileSync(DEMO_FILE, 'utf8'))
  })

  it('is deterministic for a seed and differs for another', () => {
    expect(generateDemo(regions, 'another seed').features[0]!.geometry.coordinates).not.toEqual(demo.features[0]!.geometry.coordinates)
    expect(serializeDemo(generateDemo(regions, DEMO_SEED))).toBe(serializeDemo(demo))
  })

  it('puts every station inside its own county and in no other county', () => {
    for (const f of demo.features) {
      const inside = counties.filter((c) => booleanPointInPolygon(f.geometry, c)).map((c) => c.properties.code)
      expect(inside, f.properties.external_id).toEqual([f.properties.region_code])
    }
  })

  it('writes WGS-84 points with at most 6 decimals', () => {
    for (const f of demo.features) {
      expect(f.geometry.type).toBe('Point')
      for (const x of f.geometry.coordinates) expect(String(x).split('.')[1]?.length ?? 0).toBeLessThanOrEqual(6)
    }
  })

  it('matches the 金乡县 programme: 3 centres, 16 红帆驿站, 27 rider stops', () => {
    expect(count((s) => s.region_code === '370828' && s.kind === 'service_centre')).toBe(figure('370828', 'service_centres'))
    expect(count((s) => s.region_code === '370828' && s.kind === 'red_sail')).toBe(figure('370828', 'red_sail_stations'))
    expect(count((s) => s.region_code === '370828' && s.kind === 'rider_rest')).toBe(figure('370828', 'rider_rest_stations'))
    expect(count((s) => s.region_code === '370828' && s.kind === 'worksite')).toBe(0)
    const centres = stations.filter((s) => s.region_code === '370828' && s.kind === 'service_centre').map((s) => s.name)
    for (const place of ['经济开发区', '凯盛商圈', '新材料产业园']) expect(centres.filter((n) => n.includes(place))).toHaveLength(1)
  })

  it('matches the 黑河市 programme: one worksite station per project Party organisation', () => {
    expect(count((s) => HEIHE.includes(s.region_code) && s.kind === 'worksite')).toBe(figure('231100', 'project_party_organisations'))
    for (const code of HEIHE) {
      expect(count((s) => s.region_code === code && s.kind === 'service_centre'), code).toBe(1)
      expect(count((s) => s.region_code === code && s.kind === 'worksite'), code).toBeGreaterThan(0)
    }
    // weighted toward 爱辉区, 北安市 and 嫩江市
    const worksites = (code: string) => count((s) => s.region_code === code && s.kind === 'worksite')
    for (const big of ['231102', '231181', '231183']) for (const small of ['231123', '231124', '231182']) expect(worksites(big)).toBeGreaterThan(worksites(small))
    expect(count((s) => s.region_code === '231102' && s.kind === 'rider_rest')).toBe(4)
    expect(count((s) => s.region_code === '231181' && s.kind === 'rider_rest')).toBe(3)
    expect(count((s) => HEIHE.includes(s.region_code) && s.kind === 'red_sail')).toBe(0)
  })

  it('matches the 南城县 programme: one service centre and rider stops in the county seat', () => {
    expect(count((s) => s.region_code === '361021' && s.kind === 'service_centre')).toBe(1)
    expect(count((s) => s.region_code === '361021' && s.kind === 'rider_rest')).toBe(10)
    expect(count((s) => s.region_code === '361021')).toBe(11)
  })

  it('places stations only in the programme counties', () => {
    expect(new Set(stations.map((s) => s.region_code))).toEqual(new Set([...HEIHE, '370828', '361021']))
    expect(stations).toHaveLength(140)
  })

  it('gives every station opening_hours that the opening_hours package parses', () => {
    for (const s of stations) expect(() => new OpeningHours(s.opening_hours), `${s.external_id}: ${s.opening_hours}`).not.toThrow()
    expect(stations.some((s) => s.opening_hours === '24/7')).toBe(true)
    expect(stations.some((s) => s.opening_hours === 'Mo-Su 20:00-06:00')).toBe(true)
  })

  it('uses only the fixed vocabularies', () => {
    for (const s of stations) {
      expect(STATION_KINDS).toContain(s.kind)
      expect(STATION_STATUSES).toContain(s.status)
      expect(s.amenities.length).toBeGreaterThan(0)
      for (const a of s.amenities) expect(AMENITIES).toContain(a)
      expect(new Set(s.amenities).size).toBe(s.amenities.length)
    }
  })

  it('fits amenities to kind and climate', () => {
    for (const s of stations.filter((x) => x.kind === 'rider_rest')) {
      expect(s.amenities).toEqual(expect.arrayContaining(['water', 'charging', 'microwave', 'toilet', 'rest']))
    }
    for (const s of stations.filter((x) => HEIHE.includes(x.region_code))) expect(s.amenities).toContain('heating')
  })

  it('has unique external_ids and names, all marked as demo', () => {
    expect(new Set(stations.map((s) => s.external_id)).size).toBe(stations.length)
    expect(new Set(stations.map((s) => s.name)).size).toBe(stations.length)
    for (const s of stations) {
      expect(s.source).toBe('demo')
      expect(s.external_id).toMatch(new RegExp(`^demo-${s.region_code}-${s.kind}-\\d{2}$`))
    }
  })

  it('fills every field with a plausible value', () => {
    for (const s of stations) {
      expect(s.name).toMatch(/[\u4e00-\u9fff]/)
      expect(s.address).toMatch(/^(金乡县|南城县|爱辉区|逊克县|孙吴县|北安市|五大连池市|嫩江市)/)
      expect(s.phone).toMatch(/^0\d{3}-0\d{6}$/) // local numbers never start with 0: not a real line
      expect(s.operator.length).toBeGreaterThan(0)
      expect(Number.isInteger(s.capacity) && s.capacity > 0).toBe(true)
      expect(s.radius_m === null || (Number.isInteger(s.radius_m) && s.radius_m > 0)).toBe(true)
    }
    expect(count((s) => s.status === 'active')).toBeGreaterThan(count((s) => s.status === 'planned'))
    expect(count((s) => s.status === 'planned')).toBeGreaterThan(0)
    expect(count((s) => s.radius_m === null)).toBeGreaterThan(stations.length * 0.8)
  })

  it('fails with a clear message when a county is missing from the regions', () => {
    const without = { ...regions, features: regions.features.filter((f) => f.properties.code !== '370828') }
    expect(() => generateDemo(without, DEMO_SEED)).toThrow(/no county 370828.*build-regions/)
  })
})
