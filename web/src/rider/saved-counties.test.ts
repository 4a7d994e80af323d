import { describe, expect, it } from 'vitest'
import { copyServes, nearKey, parseSaved, reachOf, withCounty, type SavedCounty } from './saved-counties.ts'

const entry = (at: string, reach_m: number | null = null): SavedCounty => ({ at, near: [116.31, 35.07], reach_m })

describe('saved counties', () => {
  it('parses what it wrote and drops malformed entries, the old date-only format included', () => {
    const good = { '370828': entry('2026-12-01T08:00:00Z', 1200) }
    expect(parseSaved(JSON.stringify(good))).toEqual(good)
    expect(parseSaved(JSON.stringify({ '370828': '2026-12-01T08:00:00Z' }))).toEqual({})
    expect(parseSaved(JSON.stringify({ x: entry('2026-12-01T08:00:00Z'), '361021': { at: 'a', near: [1], reach_m: null } }))).toEqual({})
    expect(parseSaved('not json')).toEqual({})
    expect(parseSaved(null)).toEqual({})
    expect(parseSaved('[1]')).toEqual({})
  })

  it('keeps the most recently saved counties only', () => {
    let s = {}
    for (let i = 0; i < 8; i++) s = withCounty(s, `37080${i}`, entry(`2026-12-01T0${i}:00:00Z`), 6)
    expect(Object.keys(s).sort()).toEqual(['370802', '370803', '370804', '370805', '370806', '370807'])
    // saving one again makes it the newest
    s = withCounty(s, '370802', entry('2026-12-01T09:00:00Z'), 6)
    s = withCounty(s, '370899', entry('2026-12-01T10:00:00Z'), 6)
    expect(Object.keys(s)).toContain('370802')
    expect(Object.keys(s)).not.toContain('370803')
  })

  it('a whole county serves for a day; a partial copy only near where it was saved', () => {
    const now = Date.parse('2026-12-01T12:00:00Z')
    expect(copyServes(undefined, [116.31, 35.07], now)).toBe(false)
    expect(copyServes(entry('2026-12-01T08:00:00Z'), [117, 36], now)).toBe(true)
    expect(copyServes(entry('2026-11-30T08:00:00Z'), [116.31, 35.07], now)).toBe(false)
    // reach 2 km: within 1 km of the saved position it serves, 1.5 km away it does not
    expect(copyServes(entry('2026-12-01T08:00:00Z', 2000), [116.31, 35.078], now)).toBe(true)
    expect(copyServes(entry('2026-12-01T08:00:00Z', 2000), [116.31, 35.0835], now)).toBe(false)
  })

  it('rounds the request position to 10^-4° and measures the reach', () => {
    expect(nearKey([116.311149, 35.06704])).toEqual([116.3111, 35.067])
    expect(reachOf([116.31, 35.07], [])).toBe(0)
    expect(reachOf([116.31, 35.07], [{ geometry: { coordinates: [116.31, 35.08] } }, { geometry: { coordinates: [116.31, 35.075] } }])).toBeCloseTo(1111.95, 0)
  })
})
