import { describe, expect, test } from 'vitest'
import { computeCoverage } from './coverage.ts'
import type { DemandItem, Site } from './demand-item.ts'
import { CoverageCounter } from './coverage-counter.ts'

// a seeded grid of demand around 金乡县, two counties
function demand(): DemandItem[] {
  const items: DemandItem[] = []
  let seed = 7
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647)
  for (let i = 0; i < 40; i++)
    for (let j = 0; j < 40; j++)
      items.push({ h3: `x${i}-${j}`, lon: 116.2 + i * 0.004, lat: 35.0 + j * 0.004, weight: 1 + Math.round(rnd() * 50), region_code: i < 20 ? '370828' : '370827' })
  return items
}

const same = (c: CoverageCounter, items: DemandItem[], sites: Site[]) => {
  const want = computeCoverage(items, sites, { nearest: false })
  const got = c.result()
  expect(got.covered).toBeCloseTo(want.covered, 9)
  expect(got.total).toBeCloseTo(want.total, 9)
  expect([...got.coveredMask]).toEqual([...want.coveredMask])
  expect(got.by_region).toEqual(want.by_region)
}

describe('CoverageCounter', () => {
  test('returns zero coverage for no demand and no sites', () => {
    const c = new CoverageCounter([])
    c.setSites([])
    expect(c.result()).toMatchObject({ covered: 0, total: 0, ratio: 0, by_region: [] })
  })

  test('agrees with computeCoverage as sites are added, moved, resized and removed', () => {
    const items = demand()
    const c = new CoverageCounter(items)
    let sites: Site[] = [
      { id: 'a', lon: 116.25, lat: 35.05, radius_m: 1500 },
      { id: 'b', lon: 116.3, lat: 35.1, radius_m: 1000 },
      { id: 'c', lon: 116.26, lat: 35.051, radius_m: 1500 }, // overlaps a
    ]
    c.setSites(sites)
    same(c, items, sites)
    sites = sites.map((s) => (s.id === 'a' ? { ...s, lon: 116.33, lat: 35.12 } : s))
    c.setSites(sites)
    same(c, items, sites)
    sites = sites.map((s) => (s.id === 'b' ? { ...s, radius_m: 2500 } : s)).filter((s) => s.id !== 'c')
    c.setSites(sites)
    same(c, items, sites)
    c.setSites([])
    same(c, items, [])
  })

  test('counts an item on the radius as covered (inclusive, like ST_DWithin)', () => {
    const items: DemandItem[] = [{ h3: 'x', lon: 116.3, lat: 35.0, weight: 1, region_code: null }]
    const c = new CoverageCounter(items)
    c.setSites([{ id: 's', lon: 116.3, lat: 35.0, radius_m: 0 }])
    expect(c.result().covered).toBe(1)
  })
})
