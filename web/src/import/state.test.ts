import { describe, expect, it } from 'vitest'
import type { ImportReport } from '../api.ts'
import { applyPlan, countsOf, placedForApply } from './state.ts'

const report = (actions: string[]): ImportReport =>
  ({ dry_run: true, import_id: null, format: 'csv', crs: 'wgs84', headers: [], mapping: {}, created: 0, updated: 0, unchanged: 0, rejected: 0, to_place: 0,
    rows: actions.map((action, i) => ({ row: i + 2, action, name: `r${i}` })) }) as ImportReport

describe('the import page’s rules', () => {
  it('counts a placed "to place" row as new', () => {
    const r = report(['create', 'to_place', 'to_place'])
    expect(countsOf(r, { 3: [116.3, 35.0] })).toEqual({ create: 2, update: 0, unchanged: 0, reject: 0, to_place: 1 })
  })

  it('blocks an all-or-nothing apply while rows are to place or rejected; skip mode applies the valid rows', () => {
    const r = report(['create', 'to_place', 'reject'])
    expect(applyPlan(r, {}, 'reject')).toEqual({ blocked: 'to-place' })
    expect(applyPlan(r, { 3: [1, 2] }, 'reject')).toEqual({ blocked: 'rejected' })
    expect(applyPlan(r, {}, 'skip')).toEqual({ rows: 1 })
    expect(applyPlan(report(['unchanged']), {}, 'reject')).toEqual({ blocked: 'nothing' })
    expect(applyPlan(null, {}, 'reject')).toEqual({ blocked: 'no-report' })
  })

  it('sends only the placed points of rows still to place', () => {
    expect(placedForApply(report(['create', 'to_place']), { 2: [0, 0], 3: [116.3, 35.0] })).toEqual({ 3: [116.3, 35.0] })
  })
})
