import { describe, expect, test } from 'vitest'
import type { DemandResponse } from '../api.ts'
import { DemandStore } from './demand-store.ts'

/** A tiny demand answer: one cell whose weight says which request it answers. */
function answer(weight: number): DemandResponse {
  return {
    type: 'FeatureCollection',
    features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: [116.3, 35.0] }, properties: { h3: '8912e4a8d4bffff', weight, region_code: '370828', name: null } }],
    layer: { id: 'population', name: 'p', name_en: 'p', unit: '人', unit_en: 'persons', source: 's', modelled: true, demo: false, kind: 'h3', resolution: 9 },
  } as unknown as DemandResponse
}

function deferred<T>() {
  let resolve!: (v: T) => void
  let reject!: (e: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

describe('DemandStore', () => {
  test('a newer load wins: the older answer landing later is dropped', async () => {
    const slow = deferred<DemandResponse>()
    const fast = deferred<DemandResponse>()
    const store = new DemandStore(({ region }) => (region === 'slow' ? slow.promise : fast.promise))
    const first = store.load('population', 'slow')
    const second = store.load('population', 'fast')
    fast.resolve(answer(2))
    slow.resolve(answer(1))
    expect(await first).toBeNull()
    expect((await second)!.items[0]!.weight).toBe(2)
  })

  test('fetches each layer and region once, and retries one that failed', async () => {
    let calls = 0
    let fail = true
    const store = new DemandStore(async () => {
      calls++
      if (fail) throw new Error('HTTP 503')
      return answer(5)
    })
    await expect(store.load('population', '370828')).rejects.toThrow('HTTP 503')
    fail = false
    const a = await store.load('population', '370828')
    const b = await store.load('population', '370828')
    expect(a).toBe(b)
    expect(a!.maxWeight).toBe(5)
    expect(calls).toBe(2)
  })

  test('a failure of a superseded load is not reported', async () => {
    const broken = deferred<DemandResponse>()
    const store = new DemandStore(({ region }) => (region === 'old' ? broken.promise : Promise.resolve(answer(1))))
    const old = store.load('population', 'old')
    const fresh = store.load('population', 'new')
    broken.reject(new Error('gone'))
    expect(await old).toBeNull()
    expect(await fresh).not.toBeNull()
  })
})
