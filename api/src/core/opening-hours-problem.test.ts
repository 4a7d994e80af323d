import { describe, expect, it } from 'vitest'
import { openingHoursProblem } from './opening-hours-problem.ts'

describe('openingHoursProblem', () => {
  it.each(['24/7', 'Mo-Fr 08:00-20:00', 'Mo-Su 22:00-06:00', 'Mo-Fr 08:00-18:00; PH off'])('accepts %s', (v) => {
    expect(openingHoursProblem(v)).toBeNull()
  })
  it('returns the parser message for nonsense', () => {
    const m = openingHoursProblem('whenever we like')
    expect(m).toBeTypeOf('string')
    expect(m!.length).toBeGreaterThan(5)
  })
})
