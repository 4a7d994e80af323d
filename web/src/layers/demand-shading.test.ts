import { describe, expect, test } from 'vitest'
import { seeThroughColor, seeThroughOutline, UNSERVED_RAMP, unservedColor, weightBreaks, weightClass } from './demand-shading.ts'

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

describe('see-through demand over streets', () => {
  test('keeps the hue, lets under half the fill through, and outlines in the class colour', () => {
    for (const c of UNSERVED_RAMP) {
      const f = seeThroughColor(c)
      expect(f.slice(0, 3)).toEqual(c.slice(0, 3))
      expect(f[3]).toBeLessThan(c[3] / 2)
      expect(seeThroughOutline(c)).toEqual([c[0], c[1], c[2], Math.max(200, c[3])])
    }
    // the darkest class, where streets were hidden most: 215 → 90
    expect(seeThroughColor(UNSERVED_RAMP.at(-1)!)[3]).toBe(90)
  })
})
