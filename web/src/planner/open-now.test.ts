import { describe, expect, test } from 'vitest'
import { isOpenAt } from '@core/is-open-at.ts'
import { openNowWith } from './open-now.ts'

const at = (s: string) => new Date(s)
const HOURS = 'Mo-Su 10:00-14:00,17:00-21:00'

describe('openNowWith', () => {
  test('a stop open 10–14 and 17–21 is closed at 15:20 China time and opens at 17:00', () => {
    const r = openNowWith(isOpenAt, HOURS, at('2026-12-01T15:20:00+08:00'))
    expect(r.state).toBe('closed')
    expect(r.state === 'closed' && r.opensAt?.toISOString()).toBe(at('2026-12-01T17:00:00+08:00').toISOString())
  })

  test('open inside a span, whatever the process time zone', () => {
    expect(openNowWith(isOpenAt, HOURS, at('2026-12-01T03:30:00Z')).state).toBe('open') // 11:30 CST
  })

  test('after the last span it opens the next morning', () => {
    const r = openNowWith(isOpenAt, HOURS, at('2026-12-01T22:00:00+08:00'))
    expect(r.state === 'closed' && r.opensAt?.toISOString()).toBe(at('2026-12-02T10:00:00+08:00').toISOString())
  })

  test('missing or unparsable hours are unknown, not closed', () => {
    expect(openNowWith(isOpenAt, null, at('2026-12-01T15:00:00+08:00')).state).toBe('unknown')
    expect(openNowWith(isOpenAt, 'whenever', at('2026-12-01T15:00:00+08:00')).state).toBe('unknown')
  })

  test('never open in the next week: closed with no opening time', () => {
    const r = openNowWith(isOpenAt, 'off', at('2026-12-01T15:00:00+08:00'))
    expect(r).toEqual({ state: 'closed', opensAt: null })
  })
})
