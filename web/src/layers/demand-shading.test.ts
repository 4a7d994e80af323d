import { describe, expect, test } from 'vitest'
import { UNSERVED_RAMP, unservedColor, weightBreaks, weightClass } from './demand-shading.ts'

describe('weightBreaks', () => {
  test('returns no breaks for no weights', () => {
    expect(weightBreaks([])).toEqual([])
  })

  test('cuts at quantiles, rounded, strictly increasing', () => {
    const w = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(weightBreaks(w, 5)).toEqual([21, 41, 61, 81])
    expect(weightBreaks([5, 5, 5, 5], 5)).toEqual([5])
  })
})

describe('unservedColor', () => {
  test('puts the heaviest cells in the darkest class', () => {
    const breaks = [10, 20, 30, 40]
    expect(weightClass(5, breaks)).toBe(0)
    expect(weightClass(10, breaks)).toBe(0)
    expect(weightClass(41, breaks)).toBe(4)
    expect(unservedColor(1000, breaks)).toEqual(UNSERVED_RAMP[4])
    expect(unservedColor(1000, [5])).toEqual(UNSERVED_RAMP[4])
  })
})
