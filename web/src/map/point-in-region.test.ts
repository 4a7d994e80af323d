import { describe, expect, test } from 'vitest'
import type { MultiPolygon, Polygon } from 'geojson'
import { pointInRegion } from './point-in-region.ts'

const square = (x0: number, y0: number, s: number) => [[x0, y0], [x0 + s, y0], [x0 + s, y0 + s], [x0, y0 + s], [x0, y0]]

describe('pointInRegion', () => {
  const withHole: Polygon = { type: 'Polygon', coordinates: [square(116, 35, 1), square(116.4, 35.4, 0.2)] }
  test('inside the outer ring, outside the hole', () => {
    expect(pointInRegion(116.1, 35.1, withHole)).toBe(true)
    expect(pointInRegion(116.5, 35.5, withHole)).toBe(false)
    expect(pointInRegion(117.5, 35.5, withHole)).toBe(false)
  })
  test('either part of a MultiPolygon', () => {
    const two: MultiPolygon = { type: 'MultiPolygon', coordinates: [[square(0, 0, 1)], [square(5, 5, 1)]] }
    expect(pointInRegion(5.5, 5.5, two)).toBe(true)
    expect(pointInRegion(0.5, 0.5, two)).toBe(true)
    expect(pointInRegion(3, 3, two)).toBe(false)
  })
})
