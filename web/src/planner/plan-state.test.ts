import { describe, expect, test } from 'vitest'
import type { SitingResponse } from '../api.ts'
import { initialPlanState, pendingSites, planReducer, regionPatch, settingsFromUrl, type PlanAction, type PlanState } from './plan-state.ts'

const RULE = { metric: 'straight', mode: 'ebike', minutes: 5 } as const
const start = () => initialPlanState({ region: '370828', kind: 'rider_rest', radius: null, layer: 'population', at: null, ...RULE })
const run = (state: PlanState, ...actions: PlanAction[]) => actions.reduce(planReducer, state)
const name = (n: number) => `站 ${n}`

/** A siting answer with sites at the given positions (only the fields the reducer reads are meaningful). */
function siting(...sites: [number, number][]): SitingResponse {
  return {
    sites: { type: 'FeatureCollection', features: sites.map(([lon, lat], i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: [lon, lat] }, properties: { rank: i + 1, gain: 100 - i, region_code: '370828', h3: null } })) },
  } as unknown as SitingResponse
}

describe('planReducer', () => {
  test('adds stations named by their running number, each one undoable', () => {
    const s = run(start(), { type: 'add', lon: 116.3, lat: 35.0, name }, { type: 'add', lon: 116.4, lat: 35.1, name })
    expect(s.changes.added).toEqual([
      { id: 'new-1', lon: 116.3, lat: 35.0, name: '站 1' },
      { id: 'new-2', lon: 116.4, lat: 35.1, name: '站 2' },
    ])
    expect(s.past.length).toBe(2)
    const undone = run(s, { type: 'undo' })
    expect(undone.changes.added.map((a) => a.id)).toEqual(['new-1'])
    expect(run(undone, { type: 'undo' }, { type: 'undo' }).changes.added).toEqual([]) // undo past the start is a no-op
  })

  test('a drag is one undo step, and a drag that moved nothing leaves no step', () => {
    const s = run(start(), { type: 'drag-start' }, { type: 'drag', id: 'a', lon: 1, lat: 2 }, { type: 'drag', id: 'a', lon: 3, lat: 4 }, { type: 'drag-end' })
    expect(s.changes.moved).toEqual([{ id: 'a', lon: 3, lat: 4 }])
    expect(s.past.length).toBe(1)
    expect(s.dragFrom).toBeNull()
    expect(run(s, { type: 'undo' }).changes.moved).toEqual([])
    expect(run(start(), { type: 'drag-start' }, { type: 'drag-end' }).past.length).toBe(0)
    // moves outside a drag are ignored
    expect(run(start(), { type: 'drag', id: 'a', lon: 1, lat: 2 }).changes.moved).toEqual([])
  })

  test('a different kind or region starts a fresh network: no edits, suggestions, history or siting result', () => {
    const edited = run(start(), { type: 'add', lon: 1, lat: 2, name }, { type: 'suggest', result: siting([3, 4]), name })
    expect(edited.suggested.size).toBe(1)
    for (const patch of [{ kind: 'red_sail' as const }, { region: '361021' }]) {
      const s = run(edited, { type: 'settings', patch })
      expect(s.changes).toEqual({ added: [], moved: [], removed: [] })
      expect(s.suggested.size).toBe(0)
      expect(s.past).toEqual([])
      expect(s.siting.result).toBeNull()
    }
    // the time of day or the layer keep the plan
    const kept = run(edited, { type: 'settings', patch: { at: '02:00' } }, { type: 'settings', patch: { layer: 'enterprises' } })
    expect(kept.changes).toBe(edited.changes)
    expect(kept.settings).toMatchObject({ at: '02:00', layer: 'enterprises' })
  })

  test("a radius equal to the kind's default is no override, and a new kind drops the override", () => {
    expect(run(start(), { type: 'settings', patch: { radius: 1500 } }).settings.radius).toBeNull()
    const s = run(start(), { type: 'settings', patch: { radius: 2000 } })
    expect(s.settings.radius).toBe(2000)
    expect(run(s, { type: 'settings', patch: { kind: 'worksite' } }).settings.radius).toBeNull()
    expect(run(start(), { type: 'settings', patch: { kind: 'all' } }, { type: 'settings', patch: { radius: 1500 } }).settings.radius).toBe(1500)
  })

  test('suggestions replace earlier pending ones, keep the edits, and are accepted or discarded as a whole', () => {
    const s = run(start(), { type: 'add', lon: 1, lat: 1, name }, { type: 'suggest', result: siting([2, 2], [3, 3]), name: (r) => `建议 ${r}` })
    expect(pendingSites(s).map((p) => [p.id, p.rank])).toEqual([['site-1', 1], ['site-2', 2]])
    expect(s.changes.added.map((a) => a.name)).toEqual(['站 1', '建议 1', '建议 2'])
    const again = run(s, { type: 'suggest', result: siting([4, 4]), name: (r) => `建议 ${r}` })
    expect(again.changes.added.map((a) => a.id)).toEqual(['new-1', 'site-1'])
    expect(again.changes.added[1]).toMatchObject({ lon: 4, lat: 4 })

    const accepted = run(s, { type: 'accept-sites' })
    expect(accepted.suggested.size).toBe(0)
    expect(accepted.changes.added.length).toBe(3)
    expect(accepted.siting.accepted).toBe(true)

    const discarded = run(s, { type: 'discard-sites' })
    expect(discarded.changes.added.map((a) => a.id)).toEqual(['new-1'])
    expect(discarded.siting.result).toBeNull()
    expect(run(discarded, { type: 'undo' }).suggested.size).toBe(2) // and undo brings them back
  })

  test('removing a suggested site drops its suggestion; a dragged suggestion is marked moved', () => {
    const s = run(start(), { type: 'suggest', result: siting([2, 2], [3, 3]), name })
    const dragged = run(s, { type: 'drag-start' }, { type: 'drag', id: 'site-2', lon: 5, lat: 5 }, { type: 'drag-end' })
    expect(dragged.suggested.get('site-2')?.moved).toBe(true)
    expect(dragged.changes.added.find((a) => a.id === 'site-2')).toMatchObject({ lon: 5, lat: 5 })
    const removed = run(dragged, { type: 'remove', id: 'site-1' })
    expect([...removed.suggested.keys()]).toEqual(['site-2'])
    expect(removed.changes.added.map((a) => a.id)).toEqual(['site-2'])
  })

  test('removing an existing station marks it, restoring unmarks it; pruning drops edits of stations gone from the base', () => {
    const s = run(start(), { type: 'drag-start' }, { type: 'drag', id: 'x', lon: 1, lat: 1 }, { type: 'drag-end' }, { type: 'remove', id: 'y' })
    expect(s.changes.removed).toEqual(['y'])
    expect(run(s, { type: 'restore', id: 'y' }).changes.removed).toEqual([])
    const pruned = run(s, { type: 'prune', baseIds: new Set(['y']) })
    expect(pruned.changes.moved).toEqual([])
    expect(pruned.changes.removed).toEqual(['y'])
    expect(pruned.past).toBe(s.past) // not an undo step
  })

  test('loading a scenario takes its settings and edits, and can be undone', () => {
    const settings = { region: '361021', kind: 'worksite' as const, radius: 800, layer: 'population', at: '08:00', ...RULE }
    const s = run(start(), { type: 'add', lon: 1, lat: 1, name }, { type: 'load', settings, changes: { added: [], moved: [], removed: ['z'] } })
    expect(s.settings).toEqual(settings)
    expect(s.changes.removed).toEqual(['z'])
    expect(run(s, { type: 'undo' }).changes.added.length).toBe(1)
  })

  test('switching to the road network keeps the plan (same stations, another rule) and clamps minutes to 1–60', () => {
    const s = run(start(), { type: 'add', lon: 1, lat: 1, name }, { type: 'settings', patch: { metric: 'network', mode: 'foot', minutes: 12 } })
    expect(s.settings).toMatchObject({ metric: 'network', mode: 'foot', minutes: 12 })
    expect(s.changes.added).toHaveLength(1)
    expect(s.past).toHaveLength(1)
    expect(run(s, { type: 'settings', patch: { minutes: 90 } }).settings.minutes).toBe(60)
    expect(run(s, { type: 'settings', patch: { minutes: 0 } }).settings.minutes).toBe(5)
    expect(run(s, { type: 'settings', patch: { minutes: 7.4 } }).settings.minutes).toBe(7)
  })
})

describe('settingsFromUrl', () => {
  const regions = ['231100', '231102', '370828', '361021']
  test('takes a known region and kind from the link, else 金乡县 and rider rest stops', () => {
    expect(settingsFromUrl(new URLSearchParams('region=361021&kind=worksite'), regions, ['enterprises', 'population'])).toEqual({ region: '361021', kind: 'worksite', radius: null, layer: 'population', at: null, ...RULE })
    expect(settingsFromUrl(new URLSearchParams('region=999999&kind=castle'), regions, ['enterprises'])).toEqual({ region: '370828', kind: 'rider_rest', radius: null, layer: 'enterprises', at: null, ...RULE })
    expect(settingsFromUrl(new URLSearchParams('kind=all'), ['231100'], []).kind).toBe('all')
    expect(settingsFromUrl(new URLSearchParams(''), ['231100'], []).region).toBe('231100')
  })

  test("opens a county on its default layer (a planner's choice), ?layer= first, population when the default is gone", () => {
    const layers = ['population', 'worldpop', 'enterprises']
    const defaults = { '370828': 'worldpop' }
    expect(settingsFromUrl(new URLSearchParams('region=370828'), regions, layers, defaults).layer).toBe('worldpop')
    expect(settingsFromUrl(new URLSearchParams('region=361021'), regions, layers, defaults).layer).toBe('population')
    expect(settingsFromUrl(new URLSearchParams('region=370828&layer=enterprises'), regions, layers, defaults).layer).toBe('enterprises')
    expect(settingsFromUrl(new URLSearchParams('region=370828'), regions, ['population'], defaults).layer).toBe('population')
  })

  test('takes the road-network rule from the link, ignoring unknown modes', () => {
    expect(settingsFromUrl(new URLSearchParams('metric=network&mode=foot&minutes=15'), regions, [])).toMatchObject({ metric: 'network', mode: 'foot', minutes: 15 })
    expect(settingsFromUrl(new URLSearchParams('metric=taxi&mode=car&minutes=x'), regions, [])).toMatchObject(RULE)
  })
})

describe('changing the region', () => {
  const layers = ['population', 'enterprises', 'worldpop-nc']
  const defaults = { '361021': 'worldpop-nc' }

  test('lands on the new county’s default layer, or population where it has none', () => {
    const s = run(start(), { type: 'settings', patch: regionPatch(start(), '361021', layers, defaults) })
    expect(s.settings).toMatchObject({ region: '361021', layer: 'worldpop-nc' })
    const back = run(s, { type: 'settings', patch: regionPatch(s, '370828', layers, defaults) })
    expect(back.settings).toMatchObject({ region: '370828', layer: 'population' })
    // a default naming a layer that is gone falls back to population
    expect(regionPatch(start(), '361021', ['population'], defaults)).toEqual({ region: '361021', layer: 'population' })
  })

  test('keeps a layer the planner picked by hand this visit; a layer set otherwise (a loaded plan) does not count', () => {
    const picked = run(start(), { type: 'settings', patch: { layer: 'enterprises' }, byHand: true })
    expect(picked.layerByHand).toBe(true)
    const moved = run(picked, { type: 'settings', patch: regionPatch(picked, '361021', layers, defaults) })
    expect(moved.settings).toMatchObject({ region: '361021', layer: 'enterprises' })
    const notByHand = run(start(), { type: 'settings', patch: { layer: 'enterprises' } })
    expect(regionPatch(notByHand, '361021', layers, defaults)).toEqual({ region: '361021', layer: 'worldpop-nc' })
  })

  test('?layer= opens the first county on it, ?region= alone on that county’s default', () => {
    expect(settingsFromUrl(new URLSearchParams('region=361021'), ['370828', '361021'], layers, defaults).layer).toBe('worldpop-nc')
    expect(settingsFromUrl(new URLSearchParams('region=361021&layer=enterprises'), ['370828', '361021'], layers, defaults).layer).toBe('enterprises')
    expect(settingsFromUrl(new URLSearchParams('region=370828'), ['370828', '361021'], layers, defaults).layer).toBe('population')
  })
})
