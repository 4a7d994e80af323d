import { describe, expect, test } from 'vitest'
import { badgeSlots, type ScreenMarker } from './badge-slots.ts'

const GAP = 24
const apart = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y)

describe('badgeSlots', () => {
  test('markers already apart stay where they are', () => {
    expect(badgeSlots([{ id: 'a', x: 0, y: 0 }, { id: 'b', x: 100, y: 0 }], GAP).size).toBe(0)
  })

  test('three markers on top of each other get badges at least one gap apart; the best ranked stays put', () => {
    const ms: ScreenMarker[] = [{ id: '1', x: 200, y: 200 }, { id: '2', x: 203, y: 201 }, { id: '3', x: 199, y: 205 }]
    const moved = badgeSlots(ms, GAP)
    expect(moved.has('1')).toBe(false)
    expect([...moved.keys()].sort()).toEqual(['2', '3'])
    const badges = ms.map((m) => moved.get(m.id) ?? m)
    for (let i = 0; i < badges.length; i++) for (let j = i + 1; j < badges.length; j++) expect(apart(badges[i]!, badges[j]!)).toBeGreaterThanOrEqual(GAP)
    // and close to their own point (a short leader line)
    for (const m of ms) expect(apart(moved.get(m.id) ?? m, m)).toBeLessThanOrEqual(GAP * 3.5)
  })

  test('a dense cluster of eight still ends with no two badges touching', () => {
    const ms = Array.from({ length: 8 }, (_, i) => ({ id: String(i), x: 300 + (i % 3) * 4, y: 300 + Math.floor(i / 3) * 4 }))
    const moved = badgeSlots(ms, GAP)
    const badges = ms.map((m) => moved.get(m.id) ?? m)
    for (let i = 0; i < badges.length; i++) for (let j = i + 1; j < badges.length; j++) expect(apart(badges[i]!, badges[j]!)).toBeGreaterThanOrEqual(GAP - 1e-9)
  })
})
