import { describe, expect, it } from 'vitest'
import { evaluate, isOpenAt, isValidOpeningHours } from './is-open-at.ts'

const cst = (s: string) => new Date(`${s}+08:00`)

describe('isOpenAt', () => {
  it('treats 24/7 as always open', () => {
    expect(isOpenAt('24/7', cst('2026-11-26T03:00:00'))).toBe(true)
  })
  it('evaluates in China Standard Time whatever the instant is written in', () => {
    // 01:30 UTC is 09:30 in Shanghai: inside Mo-Fr 08:30-17:30 on a Thursday
    expect(isOpenAt('Mo-Fr 08:30-17:30', new Date('2026-11-26T01:30:00Z'))).toBe(true)
    // 12:00 UTC is 20:00 in Shanghai: closed
    expect(isOpenAt('Mo-Fr 08:30-17:30', new Date('2026-11-26T12:00:00Z'))).toBe(false)
  })
  it('handles overnight hours on both sides of midnight', () => {
    expect(isOpenAt('Mo-Su 20:00-06:00', cst('2026-11-26T23:30:00'))).toBe(true)
    expect(isOpenAt('Mo-Su 20:00-06:00', cst('2026-11-27T05:59:00'))).toBe(true)
    expect(isOpenAt('Mo-Su 20:00-06:00', cst('2026-11-27T06:00:00'))).toBe(false)
    expect(isOpenAt('Mo-Su 20:00-06:00', cst('2026-11-27T12:00:00'))).toBe(false)
  })
  it('is closed on a closed day', () => {
    // 2026-11-29 is a Sunday
    expect(isOpenAt('Mo-Sa 08:00-18:00; Su off', cst('2026-11-29T10:00:00'))).toBe(false)
    expect(isOpenAt('Mo-Sa 08:00-18:00; Su off', cst('2026-11-28T10:00:00'))).toBe(true)
  })
  it('returns null (unknown) for missing or unparseable hours', () => {
    expect(isOpenAt(null, new Date())).toBeNull()
    expect(isOpenAt('', new Date())).toBeNull()
    expect(isOpenAt('whenever we feel like it', new Date())).toBeNull()
    expect(isValidOpeningHours('whenever we feel like it')).toBe(false)
    expect(isValidOpeningHours('Mo-Fr 08:00-20:00')).toBe(true)
  })
})

describe('isOpenAt per second', () => {
  it('answers as an evaluation of its own, second by second, for instants in any order', () => {
    const hours = ['Mo-Fr 08:30-17:30', 'Mo-Su 20:00-06:00', 'Mo-Su 05:58-05:59', '24/7', 'Mo-Sa 09:00-12:00,14:00-18:00; PH off', 'sunrise-sunset', 'nonsense']
    const t0 = cst('2026-11-27T05:57:58').getTime()
    // every 250 ms across two minute boundaries, then back again in a shuffled order
    const instants = Array.from({ length: 1200 }, (_, i) => t0 + i * 250)
    const shuffled = [...instants].sort((a, b) => ((a * 7919) % 1009) - ((b * 7919) % 1009))
    for (const t of [...instants, ...shuffled]) {
      for (const h of hours) expect(isOpenAt(h, new Date(t))).toBe(evaluate(h, new Date(t)))
    }
  })
})
