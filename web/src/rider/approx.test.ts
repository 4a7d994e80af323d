import { describe, expect, test } from 'vitest'
import { roundApproxMetres, roundApproxMinutes, stopTimes } from './approx.ts'

describe('approximate distances', () => {
  test('rounds metres to 100 m below 1 km, 0.5 km below 10 km, whole km above', () => {
    expect(roundApproxMetres(590)).toBe(600)
    expect(roundApproxMetres(20)).toBe(100)
    expect(roundApproxMetres(1234)).toBe(1000)
    expect(roundApproxMetres(1300)).toBe(1500)
    expect(roundApproxMetres(12_600)).toBe(13_000)
  })
  test('rounds minutes to 5, never below 5', () => {
    expect(roundApproxMinutes(11)).toBe(10)
    expect(roundApproxMinutes(13)).toBe(15)
    expect(roundApproxMinutes(1)).toBe(5)
  })
  test('exact times are left as the travel-time core gives them', () => {
    const exact = stopTimes(590, false)
    const rough = stopTimes(590, true)
    expect(rough.walk_min % 5).toBe(0)
    expect(Math.abs(rough.walk_min - exact.walk_min)).toBeLessThanOrEqual(2.5)
  })
})
