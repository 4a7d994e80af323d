import { describe, expect, test } from 'vitest'
import { IdleTracker } from './idle.ts'

describe('IdleTracker', () => {
  test('is idle only when ready, the latest layers are drawn and the map is idle', () => {
    const hooks = { idle: false }
    let repaints = 0
    const t = new IdleTracker(hooks, () => repaints++)
    t.mapIdle()
    expect(hooks.idle).toBe(false) // not ready, nothing drawn
    t.setReady(true)
    t.layersChanged()
    expect(hooks.idle).toBe(false)
    t.deckDrawn()
    expect(hooks.idle).toBe(true)
    expect(repaints).toBe(0)
    t.layersChanged()
    expect(hooks.idle).toBe(false) // new layers not drawn yet
    t.mapBusy()
    t.deckDrawn()
    expect(hooks.idle).toBe(false)
    expect(repaints).toBe(1) // deck drew while the map was busy: one more frame asked for
    t.mapIdle()
    expect(hooks.idle).toBe(true)
    t.setReady(false)
    expect(hooks.idle).toBe(false)
  })

  test('tells the waiter each time idle turns true', () => {
    const hooks = { idle: false }
    let calls = 0
    const t = new IdleTracker(hooks, () => {}, () => calls++)
    t.setReady(true)
    t.deckDrawn()
    t.mapIdle()
    expect(calls).toBe(1)
    t.check()
    expect(calls).toBe(2)
  })
})
