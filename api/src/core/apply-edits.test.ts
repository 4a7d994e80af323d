import { describe, expect, test } from 'vitest'
import { applyEdits, NO_EDITS } from './apply-edits.ts'

const sites = [
  { id: 'a', lon: 116.1, lat: 35.1, radius_m: 1500 },
  { id: 'b', lon: 116.2, lat: 35.2, radius_m: 1000 },
]

describe('applyEdits', () => {
  test('leaves the network as it is without edits', () => {
    expect(applyEdits(sites, NO_EDITS, 1500)).toEqual(sites)
    expect(applyEdits([], NO_EDITS, 1500)).toEqual([])
  })

  test('removes, moves and adds, giving proposed stations the default radius unless they have one', () => {
    const out = applyEdits(
      sites,
      {
        removed: ['a'],
        moved: [{ id: 'b', lon: 116.25, lat: 35.25 }, { id: 'new-1', lon: 116.31, lat: 35.31 }],
        added: [{ id: 'new-1', lon: 116.3, lat: 35.3 }, { id: 'new-2', lon: 116.4, lat: 35.4, radius_m: 800 }],
      },
      1500,
    )
    expect(out).toEqual([
      { id: 'b', lon: 116.25, lat: 35.25, radius_m: 1000 },
      { id: 'new-1', lon: 116.31, lat: 35.31, radius_m: 1500 },
      { id: 'new-2', lon: 116.4, lat: 35.4, radius_m: 800 },
    ])
  })

  test('ignores edits to stations that no longer exist', () => {
    expect(applyEdits(sites, { added: [], moved: [{ id: 'gone', lon: 0, lat: 0 }], removed: ['gone'] }, 1500)).toEqual(sites)
  })
})
