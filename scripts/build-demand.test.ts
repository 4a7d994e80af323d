import { readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import { cellToLatLng, cellToParent, getResolution, greatCircleDistance, gridDisk, latLngToCell, polygonToCells, UNITS } from 'h3-js'
import { describe, expect, it } from 'vitest'
import {
  buildEnterprises, buildPopulation, buildProjects, DEMAND_DIR, gzipCsv, landCells, LAYERS, placeTowns, PROJECT_COUNTS,
  readModel, REGIONS_FILE, seatOf, serializeModel, serializePoints, settlementsOf, type Regions,
} from './build-demand.ts'
import { SEATS } from './generate-demo.ts'
import { candidateCells, populationWeight, roundToTotal, ruralBase, type Settlement } from './population-model.ts'

const regions = JSON.parse(readFileSync(REGIONS_FILE, 'utf8')) as Regions
const model = readModel()
const population = buildPopulation(model, regions)
const committed = (name: string) => readFileSync(join(DEMAND_DIR, name))
const rows = population.csv.trim().split('\n').slice(1).map((l) => {
  const [h3, w, code] = l.split(',')
  return { h3: h3!, weight: Number(w), code: code! }
})

describe('population layer', () => {
  it('reproduces the committed data/demand files byte for byte', () => {
    expect(gzipCsv(population.csv).equals(committed('population.csv.gz'))).toBe(true)
    expect(serializePoints(buildEnterprises(regions))).toBe(committed('enterprises.geojson').toString())
    expect(serializePoints(buildProjects(regions))).toBe(committed('projects.geojson').toString())
    expect(`${JSON.stringify(LAYERS, null, 2)}\n`).toBe(committed('layers.json').toString())
    expect(serializeModel(model)).toBe(committed('population-model.json').toString())
  })

  it('sums each county exactly to its census total (in hundredths of a person)', () => {
    for (const c of model.counties) {
      const hundredths = rows.filter((r) => r.code === c.code).reduce((a, r) => a + Math.round(r.weight * 100), 0)
      expect(hundredths, c.code).toBe(c.census_2020.value * 100)
    }
  })

  it('makes 黑河市\'s six divisions add up to the city\'s census total', () => {
    const heihe = model.counties.filter((c) => c.code.startsWith('2311')).reduce((a, c) => a + c.census_2020.value, 0)
    expect(heihe).toBe(model.city_totals.find((c) => c.code === '231100')!.census_2020)
    expect(heihe).toBe(1_286_401)
  })

  it('labels every county figure that is not an exact census count', () => {
    for (const c of model.counties) {
      if (c.census_2020.status !== 'census') expect(c.census_2020.source, c.code).toMatch(/ESTIMATE|rounded/)
    }
    expect(model.counties.filter((c) => c.census_2020.status === 'estimate').map((c) => c.code).sort()).toEqual(['231123', '231124', '231181', '231182'])
  })

  it('stays within the budget: ≤ 150k cells, ≤ 3 MB for all committed demand files', () => {
    expect(rows.length).toBeLessThanOrEqual(150_000)
    const bytes = ['population.csv.gz', 'enterprises.geojson', 'projects.geojson', 'layers.json', 'population-model.json']
      .reduce((a, f) => a + statSync(join(DEMAND_DIR, f)).size, 0)
    expect(bytes).toBeLessThanOrEqual(3 * 1024 * 1024)
  })

  it('has unique res-9 cells with positive weights, each centre inside its county', () => {
    expect(new Set(rows.map((r) => r.h3)).size).toBe(rows.length)
    expect(rows.every((r) => r.weight > 0 && getResolution(r.h3) === 9)).toBe(true)
    const county = new Map(regions.features.map((f) => [f.properties.code, f]))
    for (let i = 0; i < rows.length; i += 97) {
      const [lat, lon] = cellToLatLng(rows[i]!.h3)
      expect(booleanPointInPolygon([lon, lat], county.get(rows[i]!.code)!), rows[i]!.h3).toBe(true)
    }
  })

  it('drops under 2.5 % of the modelled mass by truncation in every county (README states the figures)', () => {
    for (const s of population.stats) expect(s.dropped_under_threshold, s.code).toBeLessThan(0.025)
  })
})

/**
 * No land without people: every res-9 cell of county land (centre inside the county) has a populated
 * cell of its county within NEAREST_KM. 1.5 km because the rural base puts one village in every res-7
 * cell (≈ 5.2 km², circumradius ≈ 1.4 km, H3's mean res-7 edge 1.406 km), so a land cell is never
 * farther than about that from its own cell's village; it is also the rider rest stop's default
 * radius, so no part of a county lies beyond a rest stop's reach of anybody. Measured worst case:
 * 1.18 km (金乡县) to 1.46 km (嫩江市).
 */
const NEAREST_KM = 1.5

describe('rural base', () => {
  it(`leaves no res-9 cell of any county farther than ${NEAREST_KM} km from a populated cell of that county`, () => {
    for (const c of model.counties) {
      // populated cell centres by res-7 parent; a land cell searches its own parent and its neighbours
      const byParent = new Map<string, [number, number][]>()
      for (const r of rows) {
        if (r.code !== c.code) continue
        const parent = cellToParent(r.h3, 7)
        const list = byParent.get(parent) ?? []
        list.push(cellToLatLng(r.h3))
        byParent.set(parent, list)
      }
      const land = population.land.get(c.code)!
      const far: string[] = []
      for (const h of land) {
        const at = cellToLatLng(h)
        const near = gridDisk(cellToParent(h, 7), 1).some((p) => (byParent.get(p) ?? []).some((q) => greatCircleDistance(at, q, UNITS.km) <= NEAREST_KM))
        if (!near) far.push(h)
      }
      expect({ county: c.code, far: far.length, examples: far.slice(0, 3) }).toEqual({ county: c.code, far: 0, examples: [] })
    }
  }, 120_000)

  it('puts the stated share of each census total in villages, and the totals still equal the census', () => {
    const share = model.model.rural_base.share
    expect(share).toBeGreaterThan(0)
    for (const s of population.stats) {
      expect(s.rural_persons, s.code).toBeCloseTo(s.census * share, 6)
      expect(s.villages, s.code).toBeGreaterThan(0)
      const census = model.counties.find((c) => c.code === s.code)!.census_2020.value
      const hundredths = rows.filter((r) => r.code === s.code).reduce((a, r) => a + Math.round(r.weight * 100), 0)
      expect(hundredths, s.code).toBe(census * 100)
    }
  })

  it('counts a county’s land as H3 does: the cells whose centre lies in the polygon', () => {
    const nancheng = regions.features.find((f) => f.properties.code === '361021')!
    const h3Own = new Set(nancheng.geometry.coordinates.flatMap((p) => polygonToCells(p as number[][][], 9, true)))
    const land = landCells(regions, '361021')
    expect(land).toHaveLength(18_658) // the issue's count of 南城县's res-9 cells
    expect(land).toEqual([...h3Own].sort())
  })

  it('spreads villages uniformly per land cell, one per res-7 cell, at the land cell nearest its centre', () => {
    const parent = latLngToCell(35.07, 116.3, 7)
    const children = gridDisk(latLngToCell(35.07, 116.3, 9), 3).filter((h) => cellToParent(h, 7) === parent)
    const other = gridDisk(latLngToCell(35.2, 116.3, 9), 1)
    const out = ruralBase([...children, ...other], 100, 7)
    expect([...out.values()].reduce((a, w) => a + w, 0)).toBeCloseTo(100, 9)
    expect(out.size).toBe(new Set([...children, ...other].map((h) => cellToParent(h, 7))).size)
    const [plat, plon] = cellToLatLng(parent)
    const nearest = [...children].sort((a, b) => greatCircleDistance([plat, plon], cellToLatLng(a), UNITS.km) - greatCircleDistance([plat, plon], cellToLatLng(b), UNITS.km))[0]!
    expect(out.get(nearest)).toBeCloseTo((100 * children.length) / (children.length + other.length), 9)
    // a village refused by `accept` moves to the next nearest land cell of its res-7 cell
    const moved = ruralBase(children, 10, 7, (h) => h !== nearest)
    expect(moved.has(nearest)).toBe(false)
    expect([...moved.values()]).toEqual([10])
    expect(ruralBase([], 10, 7).size).toBe(0)
  })
})

describe('settlements', () => {
  it('anchors every county on the demo generator\'s seat', () => {
    for (const c of model.counties) expect(seatOf(c.code)).toEqual(SEATS[c.code]!.seat)
  })

  it('places the schematic towns deterministically, inside their county, as committed', () => {
    for (const c of model.counties) {
      const towns = placeTowns(c, model.model, regions)
      expect(towns, c.code).toEqual(c.towns.positions)
      const f = regions.features.find((r) => r.properties.code === c.code)!
      expect(towns.every((t) => booleanPointInPolygon(t, f))).toBe(true)
    }
  })

  it('gives the seat its share and the towns the rest, equally', () => {
    const c = model.counties.find((x) => x.code === '361021')!
    const s = settlementsOf(c, model.model)
    expect(s).toHaveLength(c.towns.count + 1)
    expect(s.reduce((a, x) => a + x.population, 0)).toBeCloseTo(c.census_2020.value, 6)
    expect(s[0]!.population).toBeCloseTo(c.census_2020.value * c.seat.share, 6)
  })

  it('fails with what to do when town positions are missing', () => {
    const c = { ...model.counties[0]!, towns: { ...model.counties[0]!.towns, positions: null } }
    expect(() => settlementsOf(c, model.model)).toThrow(/--place-towns/)
  })
})

describe('population model (pure)', () => {
  const one: Settlement[] = [{ population: 10_000, position: [116.3, 35.07], scale_km: 1 }]

  it('spreads a settlement\'s people so that the unclipped cells sum to its population', () => {
    const disk = gridDisk(latLngToCell(35.07, 116.3, 9), 60) // ~18 km: exp(−18) is nothing
    const total = disk.reduce((a, h) => a + populationWeight(h, one), 0)
    expect(total / 10_000).toBeCloseTo(1, 2) // the centre-point rule over hexagons: within 1 %
  })

  it('finds every cell over the threshold within its search ring', () => {
    const found = candidateCells(one, 0.5)
    const wide = gridDisk(latLngToCell(35.07, 116.3, 9), 40).filter((h) => populationWeight(h, one) >= 0.5)
    expect(wide.every((h) => found.has(h))).toBe(true)
  })

  it('decays with distance', () => {
    const near = populationWeight(latLngToCell(35.07, 116.3, 9), one)
    const far = populationWeight(latLngToCell(35.07, 116.33, 9), one)
    expect(near).toBeGreaterThan(far * 10)
  })

  it('rounds to hundredths that sum exactly to the total', () => {
    const out = roundToTotal([['a', 1], ['b', 1], ['c', 1]], 10)
    expect([...out.values()].reduce((a, w) => a + Math.round(w * 100), 0)).toBe(1000)
    expect([...out.values()].sort()).toEqual([3.33, 3.33, 3.34])
  })
})

describe('demo point layers', () => {
  it('has 207 demo enterprises in 金乡县, weights in employees', () => {
    const fc = buildEnterprises(regions)
    expect(fc.features).toHaveLength(207)
    const jinxiang = regions.features.find((f) => f.properties.code === '370828')!
    for (const f of fc.features) {
      expect(f.properties).toMatchObject({ source: 'demo', region_code: '370828' })
      expect(Number.isInteger(f.properties.weight) && f.properties.weight >= 3).toBe(true)
      expect(booleanPointInPolygon(f.geometry, jinxiang)).toBe(true)
    }
    expect(new Set(fc.features.map((f) => f.properties.name)).size).toBe(207)
  })

  it('has 188 demo project sites over 黑河市\'s six divisions, each inside its own', () => {
    const fc = buildProjects(regions)
    expect(fc.features).toHaveLength(188)
    const per: Record<string, number> = {}
    for (const f of fc.features) {
      per[f.properties.region_code] = (per[f.properties.region_code] ?? 0) + 1
      expect(f.properties.source).toBe('demo')
      const county = regions.features.find((r) => r.properties.code === f.properties.region_code)!
      expect(booleanPointInPolygon(f.geometry, county)).toBe(true)
    }
    expect(per).toEqual(PROJECT_COUNTS)
  })

  it('is deterministic for a seed and differs for another', () => {
    expect(buildProjects(regions, 'other').features[0]!.geometry).not.toEqual(buildProjects(regions).features[0]!.geometry)
  })
})
