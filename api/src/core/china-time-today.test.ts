import { describe, expect, test } from 'vitest'
import { chinaTimeToday } from './china-time-today.ts'

describe('chinaTimeToday', () => {
  test("uses China's date, not UTC's, late in the UTC evening", () => {
    // 20:00 UTC on 26 Nov is 04:00 on 27 Nov in China
    expect(chinaTimeToday('02:00', new Date('2026-11-26T20:00:00Z'))!.toISOString()).toBe('2026-11-26T18:00:00.000Z')
  })

  test('keeps the same date in the Chinese daytime', () => {
    expect(chinaTimeToday('23:30', new Date('2026-11-26T03:00:00Z'))!.toISOString()).toBe('2026-11-26T15:30:00.000Z')
  })

  test('returns null for empty or malformed input', () => {
    expect(chinaTimeToday('')).toBeNull()
    expect(chinaTimeToday('24:00')).toBeNull()
    expect(chinaTimeToday('7:00')).toBeNull()
  })
})
