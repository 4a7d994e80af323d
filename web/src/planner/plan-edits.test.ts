import { describe, expect, test } from 'vitest'
import { addStation, planStations, changeCount, countingSites, moveStation, noChanges, pruneChanges, removeStation, restoreStation, type BaseStation } from './plan-edits.ts'

const base: BaseStation[] = [
  { id: 'a', lon: 116.3, lat: 35.0, radius_m: 1500, name: 'A' },
  { id: 'b', lon: 116.4, lat: 35.1, radius_m: 2000, name: 'B' },
]

describe('plan edits', () => {
  test('an empty plan keeps every station as it is', () => {
    const plan = planStations(base, noChanges(), 1500)
    expect(plan.map((s) => s.change)).toEqual(['existing', 'existing'])
    expect(countingSites(plan)).toHaveLength(2)
    expect(planStations([], noChanges(), 1500)).toEqual([])
  })

  test('adds proposals with fresh ids and the plan radius', () => {
    let c = addStation(noChanges(), 116.5, 35.2)
    c = addStation(c, 116.6, 35.3, '新增')
    expect(c.added.map((a) => a.id)).toEqual(['new-1', 'new-2'])
    const plan = planStations(base, c, 1200)
    expect(plan.at(-1)).toMatchObject({ id: 'new-2', change: 'added', radius_m: 1200, name: '新增' })
  })

  test('moving an existing station records where it came from; moving again replaces the move', () => {
    let c = moveStation(noChanges(), 'a', 116.31, 35.01)
    c = moveStation(c, 'a', 116.32, 35.02)
    expect(c.moved).toEqual([{ id: 'a', lon: 116.32, lat: 35.02 }])
    expect(planStations(base, c, 1500)[0]).toMatchObject({ change: 'moved', lon: 116.32, from: [116.3, 35.0], radius_m: 1500 })
  })

  test('moving a proposal changes the proposal, not the moves', () => {
    const c = moveStation(addStation(noChanges(), 116.5, 35.2), 'new-1', 116.55, 35.25)
    expect(c.moved).toEqual([])
    expect(c.added[0]).toMatchObject({ lon: 116.55, lat: 35.25 })
  })

  test('removing: proposals vanish, existing stations stay listed but stop counting; restore undoes it', () => {
    let c = addStation(moveStation(noChanges(), 'a', 116.31, 35.01), 116.5, 35.2)
    c = removeStation(removeStation(c, 'new-1'), 'a')
    expect(c).toEqual({ added: [], moved: [], removed: ['a'] })
    expect(removeStation(c, 'a')).toBe(c)
    const plan = planStations(base, c, 1500)
    expect(plan[0]!.change).toBe('removed')
    expect(countingSites(plan).map((s) => s.id)).toEqual(['b'])
    expect(restoreStation(c, 'a').removed).toEqual([])
    expect(changeCount(c)).toBe(1)
  })

  test('prune drops moves and removals of stations that left the plan, keeps proposals', () => {
    const c = addStation(removeStation(moveStation(noChanges(), 'a', 1, 2), 'b'), 3, 4)
    expect(pruneChanges(c, new Set(['a']))).toEqual({ added: c.added, moved: [{ id: 'a', lon: 1, lat: 2 }], removed: [] })
  })
})
