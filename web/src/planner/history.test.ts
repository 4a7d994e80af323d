import { describe, expect, test } from 'vitest'
import { goBack, remember } from './history.ts'

describe('history', () => {
  test('returns undefined when there is nothing to undo', () => {
    expect(goBack<number>([])).toBeUndefined()
  })

  test('undoes in reverse order and forgets beyond its limit', () => {
    let h: readonly number[] = []
    h = remember(h, 1, 2)
    h = remember(h, 2, 2)
    h = remember(h, 3, 2)
    expect(h.length).toBe(2)
    const a = goBack(h)!
    expect(a.state).toBe(3)
    const b = goBack(a.past)!
    expect(b.state).toBe(2)
    expect(goBack(b.past)).toBeUndefined()
  })
})
