import { describe, expect, test } from 'vitest'
import { countingSites, NO_EDITS, planStations } from './plan-stations.ts'

const sites = [
  { id: 'a', lon: 116.1, lat: 35.1, radius_m: 1500, name: 'A' },
  { id: 'b', lon: 116.2, lat: 35.2, radius_m: 1000, name: 'B' },
]

describe('planStations', () => {
  test('marks every station existing without edits', () => {
    expect(planStations(sites, NO_EDITS, 1500).map((s) => s.change)).toEqual(['existing', 'existing'])
    expect(planStations([], NO_EDITS, 1500)).toEqual([])
  })

  test('removes, moves and adds; proposed stations get the proposed radius and may be moved too', () => {
    const plan = planStations(
      sites,
      {
        removed: ['a'],
        moved: [{ id: 'b', lon: 116.25, lat: 35.25 }, { id: 'new-1', lon: 116.31, lat: 35.31 }],
        added: [{ id: 'new-1', lon: 116.3, lat: 35.3, name: '新站' }, { id: 'new-2', lon: 116.4, lat: 35.4 }],
      },
      800,
    )
    expect(plan).toEqual([
      { ...sites[0], change: 'removed' },
      { ...sites[1], lon: 116.25, lat: 35.25, change: 'moved', from: [116.2, 35.2] },
      { id: 'new-1', lon: 116.31, lat: 35.31, radius_m: 800, name: '新站', change: 'added' },
      { id: 'new-2', lon: 116.4, lat: 35.4, radius_m: 800, name: 'new-2', change: 'added' },
    ])
    expect(countingSites(plan).map((s) => s.id)).toEqual(['b', 'new-1', 'new-2'])
  })

  test('ignores edits to stations that no longer exist', () => {
    const plan = planStations(sites, { added: [], moved: [{ id: 'gone', lon: 0, lat: 0 }], removed: ['gone'] }, 1500)
    expect(countingSites(plan)).toEqual(sites.map(({ name: _n, ...s }) => s))
  })
})
