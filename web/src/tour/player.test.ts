import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest'
import { Player } from './player.ts'

beforeEach(() => vi.useFakeTimers())
afterEach(() => vi.useRealTimers())

describe('Player', () => {
  test('loops through the stops after each dwell, counting loops', async () => {
    const shown: number[] = []
    const p = new Player({ count: 3, dwellMs: 1000, show: async (i) => void shown.push(i), onChange: () => {} })
    p.go(0)
    await vi.advanceTimersByTimeAsync(3500)
    expect(shown).toEqual([0, 1, 2, 0])
    expect(p.loops).toBe(1)
    p.stop()
  })
  test('pause holds the stop and resume finishes the dwell; a jump cancels the pending step', async () => {
    const shown: number[] = []
    const p = new Player({ count: 5, dwellMs: 1000, show: async (i) => void shown.push(i), onChange: () => {} })
    p.go(0)
    await vi.advanceTimersByTimeAsync(600)
    p.pause()
    await vi.advanceTimersByTimeAsync(5000)
    expect(shown).toEqual([0])
    p.resume()
    await vi.advanceTimersByTimeAsync(450)
    expect(shown).toEqual([0, 1])
    p.go(4)
    await vi.advanceTimersByTimeAsync(1001)
    expect(shown).toEqual([0, 1, 4, 0])
    expect(vi.getTimerCount()).toBe(1) // never more than one timer
    p.stop()
    expect(vi.getTimerCount()).toBe(0)
  })
  test('a stop still loading when the presenter moves on schedules nothing', async () => {
    let release: () => void = () => {}
    const p = new Player({ count: 3, dwellMs: 1000, show: (i) => (i === 0 ? new Promise<void>((r) => (release = r)) : Promise.resolve()), onChange: () => {} })
    p.go(0)
    p.go(2)
    release()
    await vi.advanceTimersByTimeAsync(0)
    expect(vi.getTimerCount()).toBe(1)
    p.stop()
  })
})
