import { cellToChildren, cellToLatLng, getResolution, latLngToCell } from 'h3-js'
import { describe, expect, it } from 'vitest'
import { aggregateToParents } from './aggregate-to-parents.ts'

const WEST: [number, number] = [116.05, 35.05]
const EAST: [number, number] = [116.15, 35.05]
const cell = ([lon, lat]: [number, number], res = 9) => latLngToCell(lat, lon, res)

describe('aggregateToParents', () => {
  it('sums weights into the parent, at its centre, with the region of the heaviest child', () => {
    const p8 = cell(WEST, 8)
    const children = cellToChildren(p8, 9).slice(0, 3)
    // 990101 holds more in total (4 + 4) but 990102 has the heaviest single child (6)
    const weights = [4, 4, 6]
    const regions = ['990101', '990101', '990102']
    const items = children.map((h, i) => ({ h3: h, lon: 0, lat: 0, weight: weights[i]!, region_code: regions[i]!, name: null }))
    const other = { h3: cell(EAST), lon: 0, lat: 0, weight: 1, region_code: '990102', name: null }
    const out = aggregateToParents([...items, other], 8)
    expect(out).toHaveLength(2)
    const parent = out.find((o) => o.h3 === p8)
    expect(getResolution(parent!.h3)).toBe(8)
    expect(parent!.weight).toBe(14)
    expect(parent!.region_code).toBe('990102')
    const [lat, lon] = cellToLatLng(parent!.h3)
    expect([parent!.lon, parent!.lat]).toEqual([lon, lat])
  })

  it('returns nothing for no items', () => {
    expect(aggregateToParents([], 8)).toEqual([])
  })

  it('breaks a tie between equally heavy children by the smaller region code, and orders parents by index', () => {
    const p7 = cell(WEST, 7)
    const [a, b] = cellToChildren(p7, 9)
    const out = aggregateToParents(
      [
        { h3: cell(EAST), lon: 0, lat: 0, weight: 2, region_code: '990102' },
        { h3: a!, lon: 0, lat: 0, weight: 3, region_code: '990109' },
        { h3: b!, lon: 0, lat: 0, weight: 3, region_code: '990101' },
      ],
      7,
    )
    expect(out.map((o) => o.h3)).toEqual([...out.map((o) => o.h3)].sort())
    expect(out.find((o) => o.h3 === p7)).toMatchObject({ weight: 6, region_code: '990101', name: null })
  })

  it('keeps the total weight of many cells and gives each child to its own parent', () => {
    const children = cellToChildren(cell(WEST, 6), 9)
    const items = children.map((h, i) => ({ h3: h, lon: 0, lat: 0, weight: 1 + (i % 5) * 0.25, region_code: '990101' }))
    const out = aggregateToParents(items, 8)
    expect(out).toHaveLength(cellToChildren(cell(WEST, 6), 8).length)
    const total = items.reduce((s, i) => s + i.weight, 0)
    expect(out.reduce((s, o) => s + o.weight, 0)).toBeCloseTo(total, 9)
    expect(out.every((o) => getResolution(o.h3) === 8 && o.weight > 0)).toBe(true)
  })

  it('returns cells already at the resolution unchanged in weight, moved to their own centre', () => {
    const h = cell(EAST, 8)
    const [lat, lon] = cellToLatLng(h)
    expect(aggregateToParents([{ h3: h, lon: 1, lat: 2, weight: 5, region_code: null }], 8)).toEqual([{ h3: h, lon, lat, weight: 5, region_code: null, name: null }])
  })
})
