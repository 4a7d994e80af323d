import { describe, expect, test } from 'vitest'
import { spreadDiscs, type Disc } from './spread-discs.ts'

const overlaps = (discs: Disc[], pts: { x: number; y: number }[], gap: number) => {
  const bad: [number, number][] = []
  for (let i = 0; i < discs.length; i++) for (let j = i + 1; j < discs.length; j++) {
    if (Math.hypot(pts[i]!.x - pts[j]!.x, pts[i]!.y - pts[j]!.y) < discs[i]!.r + discs[j]!.r + gap - 0.01) bad.push([i, j])
  }
  return bad
}

describe('spreadDiscs', () => {
  test('leaves discs that do not overlap where they are', () => {
    const discs = [{ x: 0, y: 0, r: 10 }, { x: 50, y: 0, r: 10 }]
    expect(spreadDiscs(discs)).toEqual([{ x: 0, y: 0 }, { x: 50, y: 0 }])
  })
  test('separates a cluster, even discs on the same spot, and never moves a fixed disc', () => {
    const discs: Disc[] = [{ x: 100, y: 100, r: 11, fixed: true }, { x: 100, y: 100, r: 21 }, { x: 104, y: 98, r: 15.5 }, { x: 130, y: 100, r: 15.5 }, { x: 131, y: 101, r: 15.5 }, { x: 90, y: 120, r: 15.5 }]
    const pts = spreadDiscs(discs)
    expect(pts[0]).toEqual({ x: 100, y: 100 })
    expect(overlaps(discs, pts, 2)).toEqual([])
    // nobody was thrown far: within a few marker widths
    pts.forEach((p, i) => expect(Math.hypot(p.x - discs[i]!.x, p.y - discs[i]!.y)).toBeLessThan(120))
  })
  test('is deterministic', () => {
    const discs = [{ x: 5, y: 5, r: 10 }, { x: 5, y: 5, r: 10 }, { x: 5, y: 5, r: 10 }]
    expect(spreadDiscs(discs)).toEqual(spreadDiscs(discs))
  })
})
