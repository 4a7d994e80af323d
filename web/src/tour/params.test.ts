import { describe, expect, test } from 'vitest'
import { DEFAULTS, flightMs, parseTourParams } from './params.ts'

describe('parseTourParams', () => {
  test('returns the defaults for an empty query', () => {
    expect(parseTourParams('')).toEqual({ options: DEFAULTS, problems: [] })
  })
  test('reads regions, dwell in seconds, language and kind', () => {
    const { options, problems } = parseTourParams('?regions=231100,370828&dwell=3&lang=en&kind=rider_rest&overview=0')
    expect(problems).toEqual([])
    expect(options).toMatchObject({ regions: ['231100', '370828'], dwellMs: 3000, lang: 'en', kind: 'rider_rest', overview: false })
  })
  test('clamps and reports bad values instead of failing', () => {
    const { options, problems } = parseTourParams('?dwell=0.5&lang=fr&kind=bar&regions=12,370828&pitch=x')
    expect(options.dwellMs).toBe(2000)
    expect(options.lang).toBeNull()
    expect(options.kind).toBeNull()
    expect(options.regions).toEqual(['370828'])
    expect(options.pitch).toBe(DEFAULTS.pitch)
    expect(problems).toHaveLength(5)
  })
  test('flies for at most half the dwell, and not at all with reduced motion', () => {
    expect(flightMs({ ...DEFAULTS, dwellMs: 3000 }, false)).toBe(1500)
    expect(flightMs({ ...DEFAULTS, dwellMs: 60_000 }, false)).toBe(4500)
    expect(flightMs(DEFAULTS, true)).toBe(0)
  })
})
