import { describe, expect, test } from 'vitest'
import { gapCellThreshold } from './gap-cell-threshold.ts'

const at = (weight: number) => ({ h3: '8928308280fffff', lon: 116, lat: 35, weight, region_code: null })

describe('gapCellThreshold', () => {
  test('is the upper quartile of cell demand (nearest rank)', () => {
    expect(gapCellThreshold([1, 2, 3, 4, 5, 6, 7, 8].map(at))).toBe(6)
    expect(gapCellThreshold([at(9), at(1), at(3)])).toBe(9)
    expect(gapCellThreshold([at(4)])).toBe(4)
  })
  test('is 0 for no demand and for point layers', () => {
    expect(gapCellThreshold([])).toBe(0)
    expect(gapCellThreshold([at(1), at(9)], true)).toBe(0)
  })
})
