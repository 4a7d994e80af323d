import { describe, expect, test } from 'vitest'
import { History } from './history.ts'

describe('History', () => {
  test('returns undefined when there is nothing to undo', () => {
    expect(new History<number>().undo()).toBeUndefined()
  })

  test('undoes in reverse order and forgets beyond its limit', () => {
    const h = new History<number>(2)
    h.push(1)
    h.push(2)
    h.push(3)
    expect(h.size).toBe(2)
    expect(h.undo()).toBe(3)
    expect(h.undo()).toBe(2)
    expect(h.undo()).toBeUndefined()
  })
})
